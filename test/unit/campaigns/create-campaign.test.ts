import { describe, expect, it } from 'vitest';
import { getCampaign } from '../../../functions/lib/campaigns/campaigns';
import { SchedulingFailedError } from '../../../functions/lib/campaigns/errors';
import { ValidationError } from '../../../functions/lib/errors';
import { getPlaybook } from '../../../functions/lib/playbooks/index';
import { createOpenCampaign } from '../../support/campaigns';
import { clockChangePlaybook, makeDeps, ORGANISER } from './fakes';

const playbooks = (id: string) => (id === 'clock-change' ? clockChangePlaybook : getPlaybook(id));
const input = {
  name: 'Anytown council 2027',
  pollDate: '2027-05-06',
  nation: 'england' as const,
  organiser: ORGANISER,
};

describe('createCampaign, then approveCampaign (the approval schedules)', () => {
  it('lays out the default playbook and makes exactly one schedule per step, version 1', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');

    const { campaign, skipped } = await createOpenCampaign(deps, input);

    expect(campaign).toMatchObject({
      status: 'open',
      playbook: 'uk-election-security',
      election: 'local',
      nonWorkingDays: [],
      version: 2, // the draft, then its approval
    });
    expect(campaign.milestones.map((m) => m.key)).toContain('close-of-nominations');
    expect(campaign.id).toMatch(/^[a-z2-7]{16}$/);
    expect(skipped).toEqual([]);
    expect(campaign.steps).toHaveLength(18);
    expect(campaign.steps.every((step) => step.status === 'scheduled' && step.version === 1)).toBe(true);
    expect([...deps.scheduler.schedules.keys()].sort()).toEqual(
      campaign.steps.map((step) => `esr-${campaign.id}-${step.key}`).sort(),
    );
    expect(deps.scheduler.schedules.get(`esr-${campaign.id}-secure-accounts`)).toEqual({
      name: `esr-${campaign.id}-secure-accounts`,
      campaignId: campaign.id,
      stepKey: 'secure-accounts',
      version: 1,
      localTime: '2027-03-25T09:00:00',
      timezone: 'Europe/London',
    });
    expect(await getCampaign(deps, campaign.id)).toEqual(campaign);
  });

  it('sends at once, a minute apart, the passed steps that are still worth sending', async () => {
    // 10:00 BST on 8 Apr 2027: the six-week and five-week steps have passed, but are worth sending
    // until nominations close (4pm, or noon for the home address reminder).
    const deps = makeDeps('2027-04-08T09:00:00Z');

    const { campaign, skipped } = await createOpenCampaign(deps, input);
    const late = campaign.steps.filter((step) => step.late);

    expect(skipped).toEqual([]);
    expect(late.map((step) => [step.key, step.sendAt, step.late?.plannedSendAt])).toEqual([
      ['secure-accounts', '2027-04-08T10:02:00+01:00', '2027-03-25T09:00:00+00:00'],
      ['police-contacts-and-risks', '2027-04-08T10:03:00+01:00', '2027-03-25T09:00:00+00:00'],
      ['lock-down-profiles', '2027-04-08T10:04:00+01:00', '2027-04-01T09:00:00+01:00'],
    ]);
    expect(late.every((step) => step.status === 'scheduled')).toBe(true);
    expect(deps.scheduler.schedules.get(`esr-${campaign.id}-secure-accounts`)?.localTime).toBe(
      '2027-04-08T10:02:00',
    );
    expect(deps.scheduler.schedules.size).toBe(18);
  });

  it('skips, saying why, the passed steps no longer worth sending, and schedules none of them', async () => {
    // 17:00 BST on 8 Apr 2027: nominations closed at 4pm; the 16:30 nominations steps are late but apply.
    const deps = makeDeps('2027-04-08T16:00:00Z');

    const { campaign, skipped } = await createOpenCampaign(deps, input);

    expect(skipped.map((step) => step.key)).toEqual([
      'secure-accounts',
      'police-contacts-and-risks',
      'lock-down-profiles',
    ]);
    expect(skipped[0]?.skipReason).toBe(
      'Its time (2027-03-25T09:00:00+00:00) had passed, and it was worth sending only until 2027-04-08T16:00:00+01:00.',
    );
    expect(
      campaign.steps.filter((step) => step.late).map((step) => [step.key, step.sendAt.slice(11, 16)]),
    ).toEqual([
      ['know-your-police-contact', '17:02'],
      ['candidate-safety-briefing', '17:03'],
    ]);
    expect(deps.scheduler.schedules.size).toBe(15);
    for (const step of skipped) expect(deps.scheduler.schedules.has(step.scheduleName)).toBe(false);
  });

  it('never lets a step due in the next minutes overtake the late ones queued before it', async () => {
    // 17:58:30 BST on the eve of the poll: earlier steps still worth sending go at 18:00, 18:01…, so
    // the 18:00 final checklist joins the queue after them rather than arriving first.
    const deps = makeDeps('2027-05-05T16:58:30Z');

    const { campaign } = await createOpenCampaign(deps, input);
    const late = campaign.steps.filter((step) => step.late);
    const checklist = late.find((step) => step.key === 'final-checklist');

    expect(late.length).toBeGreaterThan(3);
    expect(checklist?.late?.plannedSendAt).toBe('2027-05-05T18:00:00+01:00');
    expect(Math.max(...late.map((step) => step.epochMs))).toBe(checklist?.epochMs);
    const times = late.map((step) => step.epochMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('lays out a UK general election from dissolution, with the statutory five-week timetable', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');

    const { campaign } = await createOpenCampaign(deps, {
      ...input,
      election: 'uk-parliament',
      nation: 'uk',
    });
    const notice = campaign.milestones.find((m) => m.key === 'notice-of-election');
    const secure = campaign.steps.find((step) => step.key === 'secure-accounts');

    expect(campaign.election).toBe('uk-parliament');
    expect(secure?.milestone).toBe('notice-of-election');
    expect(secure && notice && secure.date < notice.date).toBe(true);
  });

  it('moves the timetable for a one-off non-working day', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');

    // A day of mourning on Wed 14 Apr, between the close of nominations and polling day.
    const { campaign } = await createOpenCampaign(deps, { ...input, nonWorkingDays: ['2027-04-14'] });

    expect(campaign.nonWorkingDays).toEqual(['2027-04-14']);
    expect(campaign.milestones.find((m) => m.key === 'close-of-nominations')?.date).toBe('2027-04-07');
    expect(campaign.steps.find((step) => step.key === 'know-your-police-contact')?.sendAt).toBe(
      '2027-04-07T16:30:00+01:00',
    );
  });

  it('schedules steps either side of the March clock change at 09:00 wall-clock in Europe/London', async () => {
    const deps = { ...makeDeps('2027-03-01T12:00:00Z'), playbooks };

    const { campaign } = await createOpenCampaign(deps, {
      ...input,
      pollDate: '2027-04-09',
      playbook: 'clock-change',
    });

    // Fri 26 Mar 2027 is GMT, Mon 29 Mar is BST: the same at(...) wall clock, an hour apart in UTC.
    const friday = deps.scheduler.schedules.get(`esr-${campaign.id}-friday-before`);
    const monday = deps.scheduler.schedules.get(`esr-${campaign.id}-monday-after`);
    expect([friday?.localTime, friday?.timezone]).toEqual(['2027-03-26T09:00:00', 'Europe/London']);
    expect([monday?.localTime, monday?.timezone]).toEqual(['2027-03-29T09:00:00', 'Europe/London']);
    expect(campaign.steps.map((step) => step.sendAtUtc)).toEqual([
      '2027-03-26T09:00:00Z',
      '2027-03-29T08:00:00Z',
      '2027-04-09T05:00:00Z',
    ]);
  });

  it('keeps the campaign time zone in the schedule', async () => {
    const deps = { ...makeDeps('2027-03-01T12:00:00Z'), playbooks };

    const { campaign } = await createOpenCampaign(deps, {
      ...input,
      pollDate: '2027-04-09',
      playbook: 'clock-change',
      timezone: 'Europe/Dublin',
    });

    expect(deps.scheduler.schedules.get(`esr-${campaign.id}-monday-after`)).toMatchObject({
      localTime: '2027-03-29T09:00:00',
      timezone: 'Europe/Dublin',
    });
  });

  it('refuses a poll date in the past, naming pollDate', async () => {
    const deps = makeDeps('2027-05-07T08:00:00Z');

    const error = await createOpenCampaign(deps, input).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'pollDate', message: 'pollDate 2027-05-06 is in the past (today is 2027-05-07)' },
    ]);
    expect(deps.scheduler.calls).toEqual([]);
  });

  it('turns missing bank-holiday data into a pollDate validation issue with its message', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');

    const error = await createOpenCampaign(deps, { ...input, pollDate: '2029-05-03' }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]).toMatchObject({ path: 'pollDate' });
    expect((error as ValidationError).issues[0]?.message).toMatch(/bank.holiday/i);
  });

  it('refuses an unknown playbook, naming playbook', async () => {
    const deps = makeDeps();

    await expect(createOpenCampaign(deps, { ...input, playbook: 'nope' })).rejects.toMatchObject({
      issues: [{ path: 'playbook', message: 'playbook is not known' }],
    });
  });

  it('removes the schedules it made and leaves the campaign a draft when Scheduler fails part-way', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    deps.scheduler.failing.set(
      'esr-testcampaignaaaa-keep-records',
      Object.assign(new Error('slow down'), { name: 'ThrottlingException' }),
    );

    const error = await createOpenCampaign(deps, input).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SchedulingFailedError);
    expect((error as Error).message).toMatch(/campaign is still a draft/);
    expect(deps.scheduler.schedules.size).toBe(0);
    expect([...deps.campaigns.items.values()].map((campaign) => campaign.status)).toEqual(['draft']);
  });
});

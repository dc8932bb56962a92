import { describe, expect, it } from 'vitest';
import { createCampaign, getCampaign } from '../../../functions/lib/campaigns/campaigns';
import { SchedulingFailedError } from '../../../functions/lib/campaigns/errors';
import { ValidationError } from '../../../functions/lib/errors';
import { getPlaybook } from '../../../functions/lib/playbooks/index';
import { clockChangePlaybook, makeDeps } from './fakes';

const playbooks = (id: string) => (id === 'clock-change' ? clockChangePlaybook : getPlaybook(id));
const input = { name: 'Anytown council 2027', pollDate: '2027-05-06', nation: 'england' as const };

describe('createCampaign', () => {
  it('lays out the default playbook and makes exactly one schedule per step, version 1', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');

    const { campaign, skipped } = await createCampaign(deps, input);

    expect(campaign).toMatchObject({ status: 'open', playbook: 'uk-election-security', version: 1 });
    expect(campaign.id).toMatch(/^[a-z2-7]{16}$/);
    expect(skipped).toEqual([]);
    expect(campaign.steps).toHaveLength(16);
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

  it('skips (and lists) steps whose time has passed, and schedules none of them', async () => {
    // 10:00 BST on 8 Apr 2027: the 09:00 steps of 8 Apr and everything before have passed.
    const deps = makeDeps('2027-04-08T09:00:00Z');

    const { campaign, skipped } = await createCampaign(deps, input);

    expect(skipped.map((step) => step.key)).toEqual([
      'secure-accounts',
      'police-contacts-and-risks',
      'lock-down-profiles',
      'know-your-police-contact',
      'candidate-safety-briefing',
    ]);
    expect(campaign.steps.filter((step) => step.status === 'skipped')).toHaveLength(5);
    expect(deps.scheduler.schedules.size).toBe(11);
    for (const step of skipped) expect(deps.scheduler.schedules.has(step.scheduleName)).toBe(false);
  });

  it('schedules steps either side of the March clock change at 09:00 wall-clock in Europe/London', async () => {
    const deps = { ...makeDeps('2027-03-01T12:00:00Z'), playbooks };

    const { campaign } = await createCampaign(deps, {
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
      '2027-04-09T08:00:00Z',
    ]);
  });

  it('keeps the campaign send time and zone in the schedule', async () => {
    const deps = { ...makeDeps('2027-03-01T12:00:00Z'), playbooks };

    const { campaign } = await createCampaign(deps, {
      ...input,
      pollDate: '2027-04-09',
      playbook: 'clock-change',
      sendTime: '07:30',
      timezone: 'Europe/Dublin',
    });

    expect(deps.scheduler.schedules.get(`esr-${campaign.id}-monday-after`)).toMatchObject({
      localTime: '2027-03-29T07:30:00',
      timezone: 'Europe/Dublin',
    });
  });

  it('refuses a poll date in the past, naming pollDate', async () => {
    const deps = makeDeps('2027-05-07T08:00:00Z');

    const error = await createCampaign(deps, input).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'pollDate', message: 'pollDate 2027-05-06 is in the past (today is 2027-05-07)' },
    ]);
    expect(deps.scheduler.calls).toEqual([]);
  });

  it('turns missing bank-holiday data into a pollDate validation issue with its message', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');

    const error = await createCampaign(deps, { ...input, pollDate: '2029-05-03' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]).toMatchObject({ path: 'pollDate' });
    expect((error as ValidationError).issues[0]?.message).toMatch(/Bank-holiday data runs from 2026 to 2028/);
  });

  it('refuses an unknown playbook, naming playbook', async () => {
    const deps = makeDeps();

    await expect(createCampaign(deps, { ...input, playbook: 'nope' })).rejects.toMatchObject({
      issues: [{ path: 'playbook', message: 'playbook is not known' }],
    });
  });

  it('removes the schedules it made and saves nothing when Scheduler fails part-way', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    deps.scheduler.failing.set(
      'esr-testcampaignaaaa-keep-records',
      Object.assign(new Error('slow down'), { name: 'ThrottlingException' }),
    );

    const error = await createCampaign(deps, input).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SchedulingFailedError);
    expect((error as Error).message).toMatch(/campaign was not created/);
    expect(deps.scheduler.schedules.size).toBe(0);
    expect(deps.campaigns.items.size).toBe(0);
  });
});

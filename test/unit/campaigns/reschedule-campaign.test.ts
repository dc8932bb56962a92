import { describe, expect, it } from 'vitest';
import { updateCampaign } from '../../../functions/lib/campaigns/campaigns';
import { SchedulingFailedError } from '../../../functions/lib/campaigns/errors';
import type { Campaign } from '../../../functions/lib/campaigns/model';
import { ConflictError, NotFoundError, ValidationError } from '../../../functions/lib/errors';
import { createOpenCampaign } from '../../support/campaigns';
import { makeDeps, ORGANISER } from './fakes';

const input = {
  name: 'Anytown council 2027',
  pollDate: '2027-05-06',
  nation: 'england' as const,
  organiser: ORGANISER,
};

/** The invariant: one schedule per `scheduled` step, carrying its current version, and nothing else. */
const expectOneSchedulePerPendingStep = (deps: ReturnType<typeof makeDeps>, campaign: Campaign) => {
  const pending = campaign.steps.filter((step) => step.status === 'scheduled');
  expect([...deps.scheduler.schedules.values()].map((s) => [s.name, s.version]).sort()).toEqual(
    pending.map((step) => [step.scheduleName, step.version]).sort(),
  );
};

const step = (campaign: Campaign, key: string) => {
  const found = campaign.steps.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no step ${key}`);
  return found;
};

describe('updateCampaign', () => {
  it('moves every pending step, bumps its version and keeps exactly one schedule per pending step', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    const { campaign: created } = await createOpenCampaign(deps, input);

    const { campaign, moved } = await updateCampaign(deps, created.id, { pollDate: '2027-05-13' });

    expect(campaign.pollDate).toBe('2027-05-13');
    expect(campaign.version).toBe(3); // draft 1, approved 2, reschedule 3
    expect(moved).toHaveLength(18);
    expect(moved.find((move) => move.key === 'secure-accounts')).toEqual({
      id: `${created.id}.secure-accounts`,
      key: 'secure-accounts',
      from: '2027-03-25T09:00:00+00:00',
      to: '2027-04-01T09:00:00+01:00',
      previousStatus: 'scheduled',
      status: 'scheduled',
    });
    expect(campaign.steps.every((s) => s.status === 'scheduled' && s.version === 2)).toBe(true);
    expectOneSchedulePerPendingStep(deps, campaign);
    expect(deps.scheduler.schedules.get(step(campaign, 'secure-accounts').scheduleName)?.localTime).toBe(
      '2027-04-01T09:00:00',
    );
    expect(await deps.campaigns.getCampaign(created.id)).toEqual(campaign);
  });

  it('leaves sent and due steps untouched, skips steps now in the past and removes their schedules', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    const { campaign: created } = await createOpenCampaign(deps, input);
    // secure-accounts (25 Mar) fired; pretend lock-down-profiles (1 Apr) was already sent.
    deps.clock.set('2027-03-25T09:00:05Z');
    deps.scheduler.fire(step(created, 'secure-accounts').scheduleName);
    await deps.campaigns.markStepDue(created.id, 'secure-accounts', 1, '2027-03-25T09:00:05Z');
    const stored = deps.campaigns.items.get(created.id) as Campaign;
    Object.assign(step(stored, 'lock-down-profiles'), { status: 'sent', sentAt: '2027-03-24T09:00:00Z' });
    deps.scheduler.schedules.delete(step(created, 'lock-down-profiles').scheduleName);

    // Moving the poll a week earlier puts police-contacts-and-risks (−42 days) on 18 Mar, and the close
    // of nominations (until which it is worth sending) on 2 Apr at 4pm, which has passed by 16:10.
    deps.clock.set('2027-04-02T15:10:00Z');
    const { campaign, moved } = await updateCampaign(deps, created.id, { pollDate: '2027-04-29' });

    expect(step(campaign, 'secure-accounts')).toMatchObject({
      status: 'due',
      version: 1,
      sendAt: '2027-03-25T09:00:00+00:00',
    });
    expect(step(campaign, 'lock-down-profiles')).toMatchObject({ status: 'sent', version: 1 });
    expect(step(campaign, 'police-contacts-and-risks')).toMatchObject({
      status: 'skipped',
      version: 2,
      skipReason:
        'Its time (2027-03-18T09:00:00+00:00) had passed, and it was worth sending only until 2027-04-02T16:00:00+01:00.',
    });
    expect(moved.map((move) => move.key)).not.toContain('secure-accounts');
    expect(moved.map((move) => move.key)).not.toContain('lock-down-profiles');
    expect(moved.find((move) => move.key === 'police-contacts-and-risks')).toMatchObject({
      from: '2027-03-25T09:00:00+00:00',
      to: '2027-03-18T09:00:00+00:00',
      previousStatus: 'scheduled',
      status: 'skipped',
    });
    expect(deps.scheduler.calls).toContain(
      `remove ${step(campaign, 'police-contacts-and-risks').scheduleName}`,
    );
    expectOneSchedulePerPendingStep(deps, campaign);
  });

  it('sends a moved step at once when its new time has passed but it is still worth sending', async () => {
    const deps = makeDeps('2027-03-24T12:00:00Z');
    const { campaign: created } = await createOpenCampaign(deps, input);

    // A week earlier: police-contacts-and-risks moves to 18 Mar, passed, but useful until 1 Apr.
    const { campaign, moved } = await updateCampaign(deps, created.id, { pollDate: '2027-04-29' });

    expect(step(campaign, 'police-contacts-and-risks')).toMatchObject({
      status: 'scheduled',
      version: 2,
      sendAt: '2027-03-24T12:03:00+00:00',
      late: { plannedSendAt: '2027-03-18T09:00:00+00:00' },
    });
    expect(moved.find((move) => move.key === 'police-contacts-and-risks')?.to).toBe(
      '2027-03-24T12:03:00+00:00',
    );
    expectOneSchedulePerPendingStep(deps, campaign);
  });

  it('moves every unsent step with its milestone when a non-working day is added', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    const { campaign: created } = await createOpenCampaign(deps, input);

    const { campaign, moved } = await updateCampaign(deps, created.id, {
      nonWorkingDays: ['2027-04-14'],
    });

    expect(campaign.pollDate).toBe('2027-05-06');
    expect(campaign.nonWorkingDays).toEqual(['2027-04-14']);
    expect(moved.map((move) => [move.key, move.to])).toEqual([
      ['lock-down-profiles', '2027-03-31T09:00:00+01:00'],
      ['know-your-police-contact', '2027-04-07T16:30:00+01:00'],
      ['candidate-safety-briefing', '2027-04-07T16:30:00+01:00'],
    ]);
    expectOneSchedulePerPendingStep(deps, campaign);
  });

  it('schedules a skipped step again when the poll moves later and its time is in the future again', async () => {
    const deps = makeDeps('2027-04-08T16:00:00Z');
    const { campaign: created } = await createOpenCampaign(deps, input);
    expect(step(created, 'secure-accounts').status).toBe('skipped');

    const { campaign } = await updateCampaign(deps, created.id, { pollDate: '2027-06-03' });

    expect(step(campaign, 'secure-accounts')).toMatchObject({
      status: 'scheduled',
      version: 2,
      date: '2027-04-22',
    });
    expectOneSchedulePerPendingStep(deps, campaign);
  });

  it('moves nothing for the same poll date but re-applies every pending schedule (a retry heals)', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    const { campaign: created } = await createOpenCampaign(deps, input);
    deps.scheduler.schedules.clear(); // as if the schedules were lost after a failed attempt

    const { campaign, moved } = await updateCampaign(deps, created.id, { pollDate: '2027-05-06' });

    expect(moved).toEqual([]);
    expect(campaign.steps.every((s) => s.version === 1)).toBe(true);
    expectOneSchedulePerPendingStep(deps, campaign);
  });

  it('re-reads and retries when a firing changed the campaign between read and write', async () => {
    const deps = makeDeps('2027-03-24T12:00:00Z');
    const { campaign: created } = await createOpenCampaign(deps, input);
    // secure-accounts fires just as the admin's reschedule is about to save.
    deps.campaigns.beforeNextSave = () => {
      deps.scheduler.fire(step(created, 'secure-accounts').scheduleName);
      void deps.campaigns.markStepDue(created.id, 'secure-accounts', 1, '2027-03-25T09:00:00Z');
    };

    const { campaign, moved } = await updateCampaign(deps, created.id, { pollDate: '2027-05-13' });

    expect(step(campaign, 'secure-accounts')).toMatchObject({ status: 'due', version: 1 });
    expect(moved.map((move) => move.key)).not.toContain('secure-accounts');
    expect(campaign.version).toBe(4); // draft 1, approved 2, firing 3, reschedule 4
    expectOneSchedulePerPendingStep(deps, campaign);
  });

  it('refuses a past poll date (naming pollDate), an unknown campaign (404) and a cancelled one (409)', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    const { campaign } = await createOpenCampaign(deps, input);

    await expect(updateCampaign(deps, campaign.id, { pollDate: '2027-02-01' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(updateCampaign(deps, 'aaaaaaaaaaaaaaaa', { pollDate: '2027-05-13' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    (deps.campaigns.items.get(campaign.id) as Campaign).status = 'cancelled';
    await expect(updateCampaign(deps, campaign.id, { pollDate: '2027-05-13' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('saves the new date and reports a scheduling failure that says to run it again', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    const { campaign: created } = await createOpenCampaign(deps, input);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    deps.scheduler.failing.set(step(created, 'keep-records').scheduleName, throttled);

    const error = await updateCampaign(deps, created.id, { pollDate: '2027-05-13' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SchedulingFailedError);
    expect((error as Error).message).toMatch(
      /1 schedule\(s\) could not be updated. Run the same reschedule again/,
    );
    expect(deps.campaigns.items.get(created.id)?.pollDate).toBe('2027-05-13');

    deps.scheduler.failing.clear();
    const { campaign } = await updateCampaign(deps, created.id, { pollDate: '2027-05-13' });
    expectOneSchedulePerPendingStep(deps, campaign);
  });
});

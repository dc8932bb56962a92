import { describe, expect, it } from 'vitest';
import { cancelCampaign } from '../../../functions/lib/campaigns/campaigns';
import { SchedulingFailedError } from '../../../functions/lib/campaigns/errors';
import type { Campaign } from '../../../functions/lib/campaigns/model';
import { NotFoundError } from '../../../functions/lib/errors';
import { createOpenCampaign } from '../../support/campaigns';
import { makeDeps, ORGANISER } from './fakes';

const input = {
  name: 'Anytown council 2027',
  pollDate: '2027-05-06',
  nation: 'england' as const,
  organiser: ORGANISER,
};

describe('cancelCampaign', () => {
  it('deletes every pending schedule and marks pending steps cancelled; fired and skipped steps stay', async () => {
    // 17:00 on 8 Apr: the six- and five-week steps are past their use (skipped).
    const deps = makeDeps('2027-04-08T16:00:00Z');
    const { campaign: created } = await createOpenCampaign(deps, input);
    const police = created.steps.find(
      (s) => s.key === 'know-your-police-contact',
    ) as Campaign['steps'][number];
    deps.scheduler.fire(police.scheduleName);
    await deps.campaigns.markStepDue(created.id, 'know-your-police-contact', 1, '2027-04-08T16:02:00Z');

    const campaign = await cancelCampaign(deps, created.id);

    expect(campaign).toMatchObject({ status: 'cancelled', cancelledAt: '2027-04-08T16:00:00.000Z' });
    expect(deps.scheduler.schedules.size).toBe(0);
    const statuses = Object.fromEntries(campaign.steps.map((s) => [s.key, s.status]));
    expect(statuses['secure-accounts']).toBe('skipped');
    expect(statuses['know-your-police-contact']).toBe('due');
    expect(campaign.steps.filter((s) => s.status === 'cancelled')).toHaveLength(14);
    // Cancelled steps carry a new version, so a schedule that escaped deletion still does nothing.
    expect(campaign.steps.filter((s) => s.status === 'cancelled').every((s) => s.version === 2)).toBe(true);
  });

  it('can be repeated: a second cancel tidies up schedules a failed first attempt left behind', async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    const { campaign: created } = await createOpenCampaign(deps, input);
    const stuck = created.steps[3]?.scheduleName as string;
    deps.scheduler.failing.set(stuck, Object.assign(new Error('down'), { name: 'InternalServerException' }));

    const error = await cancelCampaign(deps, created.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchedulingFailedError);
    expect((error as Error).message).toMatch(/is cancelled and nothing more will be sent.*Cancel it again/);
    expect([...deps.scheduler.schedules.keys()]).toEqual([stuck]);

    deps.scheduler.failing.clear();
    const campaign = await cancelCampaign(deps, created.id);

    expect(campaign.status).toBe('cancelled');
    expect(deps.scheduler.schedules.size).toBe(0);
  });

  it('answers NotFoundError for an unknown or malformed id', async () => {
    const deps = makeDeps();

    await expect(cancelCampaign(deps, 'aaaaaaaaaaaaaaaa')).rejects.toBeInstanceOf(NotFoundError);
    await expect(cancelCampaign(deps, '../../etc')).rejects.toBeInstanceOf(NotFoundError);
  });
});

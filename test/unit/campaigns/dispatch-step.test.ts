import { describe, expect, it, vi } from 'vitest';
import { cancelCampaign, updateCampaign } from '../../../functions/lib/campaigns/campaigns';
import { dispatchInputSchema, dispatchStep } from '../../../functions/lib/campaigns/dispatch-step';
import { InvalidEventError } from '../../../functions/lib/errors';
import { parseEvent } from '../../../functions/lib/events';
import { createOpenCampaign } from '../../support/campaigns';

const parseDispatchInput = (event: unknown) => parseEvent(dispatchInputSchema, event, 'schedule input');

import { makeDeps, ORGANISER } from './fakes';

const input = {
  name: 'Anytown council 2027',
  pollDate: '2027-05-06',
  nation: 'england' as const,
  organiser: ORGANISER,
};

const setUp = async () => {
  const deps = makeDeps('2027-03-01T12:00:00Z');
  const { campaign } = await createOpenCampaign(deps, input);
  const log = { info: vi.fn() };
  return { deps, campaign, log, dispatchDeps: { campaigns: deps.campaigns, clock: deps.clock, log } };
};

describe('dispatchStep', () => {
  it('marks the step due with firedAt when the current version fires', async () => {
    const { deps, campaign, log, dispatchDeps } = await setUp();
    deps.clock.set('2027-03-25T09:00:01Z');

    const outcome = await dispatchStep(dispatchDeps, {
      campaignId: campaign.id,
      stepKey: 'secure-accounts',
      version: 1,
    });

    expect(outcome).toEqual({ outcome: 'due', firedAt: '2027-03-25T09:00:01.000Z' });
    const stored = await deps.campaigns.getCampaign(campaign.id);
    expect(stored?.steps.find((s) => s.key === 'secure-accounts')).toMatchObject({
      status: 'due',
      firedAt: '2027-03-25T09:00:01.000Z',
    });
    expect(log.info).toHaveBeenCalledWith('Step due', expect.objectContaining({ campaignId: campaign.id }));
  });

  it('is idempotent: a repeat delivery of the same firing changes nothing but resumes the fan-out', async () => {
    const { campaign, dispatchDeps, deps } = await setUp();
    const event = { campaignId: campaign.id, stepKey: 'secure-accounts', version: 1 };
    await dispatchStep(dispatchDeps, event);
    const afterFirst = await deps.campaigns.getCampaign(campaign.id);

    const outcome = await dispatchStep(dispatchDeps, event);

    // The fan-out is resumable and idempotent, so a repeat while `due` hands it the step again.
    expect(outcome).toEqual({ outcome: 'resumed', firedAt: expect.any(String) });
    expect(await deps.campaigns.getCampaign(campaign.id)).toEqual(afterFirst);
  });

  it('ignores a stale schedule version after a reschedule, logging ids only', async () => {
    const { deps, campaign, log, dispatchDeps } = await setUp();
    await updateCampaign(deps, campaign.id, { pollDate: '2027-05-13' });

    const outcome = await dispatchStep(dispatchDeps, {
      campaignId: campaign.id,
      stepKey: 'secure-accounts',
      version: 1,
    });

    expect(outcome).toEqual({ outcome: 'ignored', reason: 'stale-version' });
    expect(log.info).toHaveBeenCalledWith('Schedule ignored', {
      campaignId: campaign.id,
      stepKey: 'secure-accounts',
      version: 1,
      reason: 'stale-version',
      currentVersion: 2,
    });
  });

  it('ignores a firing for a cancelled campaign and for a campaign that does not exist', async () => {
    const { deps, campaign, dispatchDeps } = await setUp();
    await cancelCampaign(deps, campaign.id);

    expect(
      await dispatchStep(dispatchDeps, { campaignId: campaign.id, stepKey: 'secure-accounts', version: 2 }),
    ).toEqual({ outcome: 'ignored', reason: 'campaign-cancelled' });
    expect(
      await dispatchStep(dispatchDeps, {
        campaignId: 'bbbbbbbbbbbbbbbb',
        stepKey: 'secure-accounts',
        version: 1,
      }),
    ).toEqual({ outcome: 'ignored', reason: 'campaign-not-found' });
  });
});

describe('parseEvent(dispatchInputSchema)', () => {
  it('accepts the ids-only schedule input', () => {
    expect(
      parseDispatchInput({ campaignId: 'abcdefghijk23456', stepKey: 'polling-day', version: 3 }),
    ).toEqual({
      campaignId: 'abcdefghijk23456',
      stepKey: 'polling-day',
      version: 3,
    });
  });

  it('refuses anything else, naming the fields but not echoing their values', () => {
    const parse = () =>
      parseDispatchInput({ campaignId: 'x@example.com', stepKey: 'polling-day', version: 0, extra: 1 });

    expect(parse).toThrow(InvalidEventError);
    expect(parse).toThrow(/campaignId: campaignId is not a campaign id/);
    expect(parse).not.toThrow(/example\.com/);
  });
});

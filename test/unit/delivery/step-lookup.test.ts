import { describe, expect, it } from 'vitest';
import { createStepLookup } from '../../../functions/lib/delivery/step-lookup';
import { createOpenCampaign } from '../../support/campaigns';
import { makeDeps, ORGANISER } from '../campaigns/fakes';

describe('step lookup (the sender’s view of a campaign)', () => {
  const firedStep = async () => {
    const deps = makeDeps('2027-03-01T12:00:00Z');
    const { campaign } = await createOpenCampaign(deps, {
      name: 'Cache',
      pollDate: '2027-05-06',
      nation: 'england',
      organiser: ORGANISER,
    });
    const [step] = campaign.steps;
    if (!step) throw new Error('no step');
    await deps.campaigns.markStepDue(campaign.id, step.key, step.version, '2027-03-25T09:00:00Z');
    return { deps, campaignId: campaign.id, step };
  };

  it('sees a cancellation once its cache expires on real time, even while the service clock stands still', async () => {
    const { deps, campaignId, step } = await firedStep();
    // The service clock (a FakeClock) stands still, as the local clock does once set; real elapsed
    // time moves only when the test says so, so that a loaded machine cannot expire the cache early.
    let elapsed = 0;
    const lookup = createStepLookup(deps.campaigns, { cacheMs: 20, elapsedMs: () => elapsed });

    const before = await lookup.stepContext({ campaignId, stepKey: step.key }, step.version);
    const stored = deps.campaigns.items.get(campaignId);
    if (stored) stored.status = 'cancelled';
    elapsed += 19;
    const cached = await lookup.stepContext({ campaignId, stepKey: step.key }, step.version);
    elapsed += 21;
    const after = await lookup.stepContext({ campaignId, stepKey: step.key }, step.version);

    expect(before?.live).toBe(true);
    expect(cached?.live).toBe(true);
    expect(after).toMatchObject({ live: false, interrupted: true });
  });

  it('marks a step interrupted by a cancellation cancelled, and only that step', async () => {
    const { deps, campaignId, step } = await firedStep();
    const lookup = createStepLookup(deps.campaigns, { cacheMs: 0 });
    const stored = deps.campaigns.items.get(campaignId);
    if (stored) stored.status = 'cancelled';

    await lookup.markCancelled(
      { campaignId, stepKey: step.key },
      step.version,
      new Date('2027-03-25T09:05:00Z'),
    );
    const steps = (await deps.campaigns.getCampaign(campaignId))?.steps ?? [];

    expect(steps.find((s) => s.key === step.key)?.status).toBe('cancelled');
    expect(steps.filter((s) => s.status === 'cancelled')).toHaveLength(1);
  });
});

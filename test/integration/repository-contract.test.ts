import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCampaignRepository } from '../../functions/lib/adapters/dynamodb/campaign-repository';
import { createSubscriptionRepository } from '../../functions/lib/adapters/dynamodb/subscription-repository';
import { createSuppressionList } from '../../functions/lib/adapters/dynamodb/suppression-list';
import { CampaignVersionConflictError } from '../../functions/lib/campaigns/errors';
import type { Campaign } from '../../functions/lib/campaigns/model';
import type { CampaignRepository } from '../../functions/lib/campaigns/ports';
import type { SuppressionList } from '../../functions/lib/delivery/ports';
import { StaleWriteError } from '../../functions/lib/subscriptions/errors';
import type { Subscription } from '../../functions/lib/subscriptions/model';
import type { SubscriptionRepository } from '../../functions/lib/subscriptions/ports';
import { planSignup } from '../../functions/lib/subscriptions/subscribe';
import { planUnsubscribe } from '../../functions/lib/subscriptions/unsubscribe';
import { createOpenCampaign } from '../support/campaigns';
import { startDynamo } from '../support/dynamo';
import { FakeCampaignRepository, FakeClock, FakeScheduler, ORGANISER } from '../unit/campaigns/fakes';
import { FakeSubscriptionRepository, FakeSuppressionList } from '../unit/subscriptions/fakes';

/**
 * One contract, two implementations: every test here runs against the in-memory fake the unit tests
 * use and against the DynamoDB adapter on dynalite, so the fakes cannot drift from what the adapters
 * enforce.
 */

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let tables = 0;
beforeAll(async () => {
  dynamo = await startDynamo('esr-contract');
});
afterAll(() => dynamo?.stop());
/** A fresh table per test, so lists see only what the test wrote. */
const freshTable = () => dynamo.newTable(`esr-contract-${++tables}`);

interface Implementations {
  campaigns: CampaignRepository;
  subscriptions: SubscriptionRepository;
  suppressions: SuppressionList & { has(emailHmac: string): Promise<boolean> };
}

const factories: [string, () => Promise<Implementations>][] = [
  [
    'in-memory fakes',
    async () => ({
      campaigns: new FakeCampaignRepository(),
      subscriptions: new FakeSubscriptionRepository(),
      suppressions: new FakeSuppressionList(),
    }),
  ],
  [
    'DynamoDB adapters',
    async () => {
      const table = await freshTable();
      return {
        campaigns: createCampaignRepository(dynamo.client, table),
        subscriptions: createSubscriptionRepository(dynamo.client, table),
        suppressions: createSuppressionList(dynamo.client, table),
      };
    },
  ],
];

const NOW = '2027-03-01T12:00:00Z';
let ids = 0;
// Real campaign ids (16 characters of a-z and 2-7): the approval reads the campaign back by its id.
const nextId = () =>
  `contract${[...String(++ids).padStart(8, '0')].map((digit) => 'abcdefghij'[Number(digit)]).join('')}`;

/** A real campaign, laid out by the core, stored through the repository under test and approved. */
const newCampaign = async (campaigns: CampaignRepository, pollDate = '2027-05-06') => {
  const { campaign } = await createOpenCampaign(
    { campaigns, scheduler: new FakeScheduler(), clock: new FakeClock(new Date(NOW)), newId: nextId },
    { name: `Poll on ${pollDate}`, pollDate, nation: 'england', organiser: ORGANISER },
  );
  return campaign;
};
const firstStep = (campaign: Campaign) => campaign.steps.find((step) => step.status === 'scheduled');
const cancel = async (campaigns: CampaignRepository, campaign: Campaign) => {
  const stored = (await campaigns.getCampaign(campaign.id)) as Campaign;
  await campaigns.saveCampaign(
    { ...stored, status: 'cancelled', version: stored.version + 1 },
    stored.version,
  );
};

describe.each(factories)('campaign repository contract: %s', (_name, make) => {
  let repo: CampaignRepository;
  beforeEach(async () => {
    ({ campaigns: repo } = await make());
  });

  it('gives back what was created, and undefined for an unknown id', async () => {
    const campaign = await newCampaign(repo);

    expect(await repo.getCampaign(campaign.id)).toEqual(campaign);
    expect(await repo.getCampaign('nosuchcampaign00')).toBeUndefined();
  });

  it('refuses to create a campaign whose id is taken', async () => {
    const campaign = await newCampaign(repo);

    await expect(repo.createCampaign({ ...campaign, name: 'Other' })).rejects.toBeInstanceOf(
      CampaignVersionConflictError,
    );
    expect((await repo.getCampaign(campaign.id))?.name).toBe(campaign.name);
  });

  it('saves only over the expected version, and never a campaign that does not exist', async () => {
    const campaign = await newCampaign(repo);
    const v = campaign.version;

    await expect(
      repo.saveCampaign({ ...campaign, name: 'Stale', version: v + 2 }, v + 1),
    ).rejects.toBeInstanceOf(CampaignVersionConflictError);
    await repo.saveCampaign({ ...campaign, name: 'Renamed', version: v + 1 }, v);
    expect(await repo.getCampaign(campaign.id)).toMatchObject({ name: 'Renamed', version: v + 1 });
    await expect(
      repo.saveCampaign({ ...campaign, id: 'nosuchcampaign00', version: v + 1 }, v),
    ).rejects.toBeInstanceOf(CampaignVersionConflictError);
    expect(await repo.getCampaign('nosuchcampaign00')).toBeUndefined();
  });

  it('keeps the steps in timeline order whatever order they were written in', async () => {
    const campaign = await newCampaign(repo);
    const reversed = { ...campaign, steps: [...campaign.steps].reverse(), version: campaign.version + 1 };

    await repo.saveCampaign(reversed, campaign.version);

    expect((await repo.getCampaign(campaign.id))?.steps.map((s) => s.key)).toEqual(
      campaign.steps.map((s) => s.key),
    );
  });

  it('lists every campaign by poll date, or those polling on or after pollDateFrom', async () => {
    const june = await newCampaign(repo, '2027-06-10');
    const may = await newCampaign(repo, '2027-05-06');
    const nextYear = await newCampaign(repo, '2028-05-04');

    expect((await repo.listCampaigns()).map((c) => c.id)).toEqual([may.id, june.id, nextYear.id]);
    expect((await repo.listCampaigns({ pollDateFrom: '2027-06-10' })).map((c) => c.id)).toEqual([
      june.id,
      nextYear.id,
    ]);
    expect(await repo.listCampaigns({ pollDateFrom: '2029-01-01' })).toEqual([]);
  });

  it('marks a scheduled step due once, at its schedule version only, bumping the campaign version', async () => {
    const campaign = await newCampaign(repo);
    const step = firstStep(campaign);
    if (!step) throw new Error('no scheduled step');
    const firedAt = '2027-03-25T09:00:01.000Z';

    expect(await repo.markStepDue(campaign.id, step.key, step.version + 1, firedAt)).toBe(false);
    expect(await repo.markStepDue(campaign.id, 'no-such-step', step.version, firedAt)).toBe(false);
    expect(await repo.markStepDue('nosuchcampaign00', step.key, step.version, firedAt)).toBe(false);
    expect(await repo.getCampaign(campaign.id)).toEqual(campaign);

    expect(await repo.markStepDue(campaign.id, step.key, step.version, firedAt)).toBe(true);
    expect(await repo.markStepDue(campaign.id, step.key, step.version, firedAt)).toBe(false);

    const stored = (await repo.getCampaign(campaign.id)) as Campaign;
    expect(stored).toMatchObject({ version: campaign.version + 1, updatedAt: firedAt });
    expect(stored.steps.find((s) => s.key === step.key)).toMatchObject({ status: 'due', firedAt });
  });

  it('never marks a step of a cancelled campaign due', async () => {
    const campaign = await newCampaign(repo);
    const step = firstStep(campaign);
    if (!step) throw new Error('no scheduled step');
    await cancel(repo, campaign);

    expect(await repo.markStepDue(campaign.id, step.key, step.version, NOW)).toBe(false);
  });

  it('moves due → sending → sent for the schedule version only, bumping the version each time', async () => {
    const campaign = await newCampaign(repo);
    const step = firstStep(campaign);
    if (!step) throw new Error('no scheduled step');

    expect(await repo.markStepSending(campaign.id, step.key, step.version, 5)).toBe(false); // not due yet
    await repo.markStepDue(campaign.id, step.key, step.version, NOW);
    expect(await repo.markStepSending(campaign.id, step.key, step.version + 1, 5)).toBe(false);
    expect(await repo.markStepSending(campaign.id, step.key, step.version, 5)).toBe(true);
    expect(await repo.markStepSending(campaign.id, step.key, step.version, 5)).toBe(false);
    const sending = (await repo.getCampaign(campaign.id)) as Campaign;
    expect(sending.version).toBe(campaign.version + 2);
    expect(sending.steps.find((s) => s.key === step.key)).toMatchObject({ status: 'sending', recipients: 5 });

    const sentAt = '2027-03-25T09:05:00.000Z';
    expect(await repo.markStepSent(campaign.id, step.key, step.version + 1, sentAt)).toBe(false);
    expect(await repo.markStepSent(campaign.id, step.key, step.version, sentAt)).toBe(true);
    expect(await repo.markStepSent(campaign.id, step.key, step.version, sentAt)).toBe(false);
    const sent = (await repo.getCampaign(campaign.id)) as Campaign;
    expect(sent.version).toBe(campaign.version + 3);
    expect(sent.steps.find((s) => s.key === step.key)).toMatchObject({ status: 'sent', sentAt });
  });

  it('marks a due step sent without passing through sending', async () => {
    const campaign = await newCampaign(repo);
    const step = firstStep(campaign);
    if (!step) throw new Error('no scheduled step');
    await repo.markStepDue(campaign.id, step.key, step.version, NOW);

    expect(await repo.markStepSent(campaign.id, step.key, step.version, NOW)).toBe(true);
  });

  it('neither starts nor finishes a send once the campaign is cancelled: only markStepCancelled ends it', async () => {
    const campaign = await newCampaign(repo);
    const step = firstStep(campaign);
    if (!step) throw new Error('no scheduled step');
    await repo.markStepDue(campaign.id, step.key, step.version, NOW);
    await cancel(repo, campaign);
    const cancelled = (await repo.getCampaign(campaign.id)) as Campaign;

    expect(await repo.markStepSending(campaign.id, step.key, step.version, 5)).toBe(false);
    expect(await repo.markStepSent(campaign.id, step.key, step.version, NOW)).toBe(false);
    expect(await repo.getCampaign(campaign.id)).toEqual(cancelled);

    const at = '2027-03-25T09:10:00.000Z';
    expect(await repo.markStepCancelled(campaign.id, step.key, step.version + 1, at)).toBe(false);
    expect(await repo.markStepCancelled(campaign.id, step.key, step.version, at)).toBe(true);
    expect(await repo.markStepCancelled(campaign.id, step.key, step.version, at)).toBe(false);
    const ended = (await repo.getCampaign(campaign.id)) as Campaign;
    expect(ended).toMatchObject({ version: cancelled.version + 1, updatedAt: at });
    expect(ended.steps.find((s) => s.key === step.key)?.status).toBe('cancelled');
  });

  it('never marks a step of an open campaign cancelled', async () => {
    const campaign = await newCampaign(repo);
    const step = firstStep(campaign);
    if (!step) throw new Error('no scheduled step');
    await repo.markStepDue(campaign.id, step.key, step.version, NOW);

    expect(await repo.markStepCancelled(campaign.id, step.key, step.version, NOW)).toBe(false);
  });
});

const signUp = (emailHmac: string, campaignId: string, at = new Date(NOW)): Subscription =>
  planSignup(
    undefined,
    { email: 'jo@example.org', name: 'Jo Bloggs', role: 'agent', emailHmac, campaignId },
    at,
    'api',
    `nonce-${campaignId}`,
  ).next as Subscription;

describe.each(factories)('subscription repository contract: %s', (_name, make) => {
  let repo: SubscriptionRepository;
  beforeEach(async () => {
    ({ subscriptions: repo } = await make());
  });
  const hmac = 'a'.repeat(64);

  it('gives back what was saved, and undefined when there is none', async () => {
    const pending = signUp(hmac, 'c1');

    expect(await repo.get(hmac, 'c1')).toBeUndefined();
    await repo.save(pending, undefined);

    expect(await repo.get(hmac, 'c1')).toEqual(pending);
    expect(await repo.get(hmac, 'c2')).toBeUndefined();
  });

  it('creates only where nothing is stored, and replaces only the version read', async () => {
    const pending = signUp(hmac, 'c1');
    await repo.save(pending, undefined);

    await expect(repo.save(pending, undefined)).rejects.toBeInstanceOf(StaleWriteError);
    await expect(repo.save({ ...pending, version: 3 }, 2)).rejects.toBeInstanceOf(StaleWriteError);
    await expect(repo.save(signUp(hmac, 'c2'), 1)).rejects.toBeInstanceOf(StaleWriteError);
    expect(await repo.get(hmac, 'c2')).toBeUndefined();

    // A write that keeps the version (a repeated sign-up's note) is allowed over that same version.
    const noted = { ...pending, lastRequestedAt: '2027-03-02T00:00:00.000Z' };
    await repo.save(noted, pending.version);
    expect(await repo.get(hmac, 'c1')).toEqual(noted);
  });

  it('replaces the whole subscription: what the new state leaves out is gone', async () => {
    const pending = signUp(hmac, 'c1');
    await repo.save(pending, undefined);
    const left = planUnsubscribe(
      pending,
      new Date('2027-03-03T00:00:00Z'),
      'one-click',
      'campaign',
    ) as Subscription;
    expect(left.email).toBeUndefined();

    await repo.save(left, pending.version);

    const stored = await repo.get(hmac, 'c1');
    expect(stored).toEqual(left);
    expect(stored).not.toHaveProperty('email');
    expect(stored).not.toHaveProperty('name');
  });

  it("lists every subscription of one address, across campaigns, and nobody else's", async () => {
    await repo.save(signUp(hmac, 'c1'), undefined);
    await repo.save(signUp(hmac, 'c2'), undefined);
    await repo.save(signUp('b'.repeat(64), 'c1'), undefined);
    // A throttle counter lives beside the address's subscriptions; it is not one.
    await repo.consumeConfirmQuota(
      hmac,
      'c1',
      { nowMs: Date.parse(NOW), nonce: 'n', messageId: 'm' },
      POLICY,
    );

    const listed = await repo.listForAddress(hmac);

    expect(listed.map((s) => s.campaignId).sort()).toEqual(['c1', 'c2']);
    expect(listed.every((s) => s.emailHmac === hmac)).toBe(true);
    expect(await repo.listForAddress('c'.repeat(64))).toEqual([]);
  });

  it('counts confirmation emails per address and campaign by the policy', async () => {
    const t0 = Date.parse(NOW);
    const attempt = (nowMs: number, nonce: string, messageId: string) => ({ nowMs, nonce, messageId });

    expect(await repo.consumeConfirmQuota(hmac, 'c1', attempt(t0, 'n1', 'm1'), POLICY)).toBe('allowed');
    // The same message delivered again may send again (its first send may have failed).
    expect(await repo.consumeConfirmQuota(hmac, 'c1', attempt(t0 + 1000, 'n1', 'm1'), POLICY)).toBe(
      'allowed',
    );
    // The same link again too soon is a repeat.
    expect(await repo.consumeConfirmQuota(hmac, 'c1', attempt(t0 + 2000, 'n1', 'm2'), POLICY)).toBe('repeat');
    expect(await repo.consumeConfirmQuota(hmac, 'c1', attempt(t0 + 3000, 'n2', 'm3'), POLICY)).toBe(
      'allowed',
    );
    expect(await repo.consumeConfirmQuota(hmac, 'c1', attempt(t0 + 4000, 'n3', 'm4'), POLICY)).toBe('limit');
    // Another campaign has its own allowance; the window moves on.
    expect(await repo.consumeConfirmQuota(hmac, 'c2', attempt(t0 + 5000, 'n3', 'm5'), POLICY)).toBe(
      'allowed',
    );
    const later = t0 + POLICY.windowMs + 1;
    expect(await repo.consumeConfirmQuota(hmac, 'c1', attempt(later, 'n3', 'm6'), POLICY)).toBe('allowed');
  });
});

const POLICY = { limit: 2, windowMs: 60 * 60 * 1000, repeatGapMs: 60 * 1000 };

describe.each(factories)('suppression list contract: %s', (_name, make) => {
  let list: Implementations['suppressions'];
  beforeEach(async () => {
    ({ suppressions: list } = await make());
  });

  it('holds an address once added, and adding it again is harmless', async () => {
    const hmac = 'd'.repeat(64);
    expect(await list.has(hmac)).toBe(false);

    await list.add(hmac, 'bounce', new Date(NOW));
    await list.add(hmac, 'complaint', new Date(NOW));

    expect(await list.has(hmac)).toBe(true);
    expect(await list.has('e'.repeat(64))).toBe(false);
  });
});

/**
 * Subject access and erasure against a real DynamoDB engine (dynalite) through the real adapters: a
 * subscriber is seeded with every item type keyed by (or holding) their address hash, then erased;
 * a scan of the whole table finds the address, the name and the hash nowhere but in the one marker.
 */
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryLedger } from '../../functions/lib/adapters/dynamodb/delivery-ledger';
import { createSubjectDataStore } from '../../functions/lib/adapters/dynamodb/subject-data';
import { createSubscriberCounter } from '../../functions/lib/adapters/dynamodb/subscriber-counter';
import { createSubscriptionRepository } from '../../functions/lib/adapters/dynamodb/subscription-repository';
import { createSuppressionList } from '../../functions/lib/adapters/dynamodb/suppression-list';
import type { Role } from '../../functions/lib/domain/roles';
import { keys } from '../../functions/lib/storage/table';
import type { SubjectRightsDeps } from '../../functions/lib/subjects/ports';
import { eraseSubject, exportSubjectData } from '../../functions/lib/subjects/subject-rights';
import { createEmailHasher } from '../../functions/lib/subscriptions/email';
import type { Subscription } from '../../functions/lib/subscriptions/model';
import { CONFIRM_EMAIL_THROTTLE } from '../../functions/lib/subscriptions/throttle';
import { startDynamo } from '../support/dynamo';

const NOW = new Date('2027-04-22T08:00:00Z');
const SECRET = Buffer.alloc(32, 7);
const hashEmail = createEmailHasher(SECRET);
const EMAIL = 'Jo.Bloggs+Reminders@Example.org';
const NAME = 'Jo Bloggs';
const HASH = hashEmail(EMAIL);
const OTHER = hashEmail('someone.else@example.org');

const subscription = (
  emailHmac: string,
  campaignId: string,
  role: Role,
  status: Subscription['status'],
  extra: Partial<Subscription> = {},
): Subscription => ({
  emailHmac,
  campaignId,
  ...(status === 'unsubscribed' ? {} : { email: EMAIL, name: NAME }),
  role,
  status,
  source: 'form',
  consentAt: NOW.toISOString(),
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  history: [{ at: NOW.toISOString(), event: 'signed-up', source: 'form' }],
  expiresAt: Math.floor(NOW.getTime() / 1000) + 86_400,
  version: 1,
  ...extra,
});

/** A campaign item with steps in its map, as the campaigns repository stores it. */
const seedCampaign = (
  dynamo: Awaited<ReturnType<typeof startDynamo>>,
  id: string,
  steps: Record<string, string>,
) =>
  dynamo.client.send(
    new PutCommand({
      TableName: dynamo.tableName,
      Item: {
        ...keys.campaign(id),
        gsi1pk: keys.campaignsIndex,
        gsi1sk: `2027-05-06#${id}`,
        id,
        name: `Campaign ${id}`,
        pollDate: '2027-05-06',
        status: 'open',
        steps: Object.fromEntries(Object.entries(steps).map(([key, status]) => [key, { key, status }])),
        version: 1,
      },
    }),
  );

describe('subject access and erasure (dynalite, real adapters)', () => {
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let deps: SubjectRightsDeps;
  const audit: { action: string; actor: string; detail?: Record<string, unknown> }[] = [];

  const scanAll = async () => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await dynamo.client.send(
        new ScanCommand({ TableName: dynamo.tableName, ExclusiveStartKey: start }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };

  beforeAll(async () => {
    dynamo = await startDynamo();
    deps = {
      store: createSubjectDataStore(dynamo.client, dynamo.tableName),
      hashEmail: async () => hashEmail,
      clock: { now: () => NOW },
      audit: { record: async (entry) => void audit.push(entry) },
    };
    const subscriptions = createSubscriptionRepository(dynamo.client, dynamo.tableName);
    const ledger = createDeliveryLedger(dynamo.client, dynamo.tableName);
    // Two campaigns: one whose steps went out, one not yet fired.
    await seedCampaign(dynamo, 'locals-2027', {
      'secure-accounts': 'sent',
      'polling-day': 'sending',
      later: 'scheduled',
    });
    await seedCampaign(dynamo, 'mayor-2027', { 'secure-accounts': 'sent' });
    // Subscriptions in every state: confirmed (with its audience index entry), pending, unsubscribed.
    await subscriptions.save(subscription(HASH, 'locals-2027', 'candidate', 'confirmed'), undefined);
    await subscriptions.save(
      subscription(HASH, 'mayor-2027', 'agent', 'pending', { nonce: 'n-1' }),
      undefined,
    );
    await subscriptions.save(subscription(HASH, 'old-2026', 'candidate', 'unsubscribed'), undefined);
    await subscriptions.save(
      {
        ...subscription(OTHER, 'locals-2027', 'candidate', 'confirmed'),
        email: 'someone.else@example.org',
        name: 'Sam Else',
      },
      undefined,
    );
    // A confirmation throttle.
    await subscriptions.consumeConfirmQuota(
      HASH,
      'mayor-2027',
      { nowMs: NOW.getTime(), nonce: 'n-1', messageId: 'm-1' },
      CONFIRM_EMAIL_THROTTLE,
    );
    // Delivery records and call records shared with another recipient: sent on one step, a retry
    // then a sent on another (the older claim's call record still names the hash), suppressed on a third.
    const sent = { campaignId: 'locals-2027', stepKey: 'secure-accounts' };
    await ledger.claim(sent, [HASH, OTHER], 'claim-a', NOW, 60_000);
    await ledger.complete(
      sent,
      'claim-a',
      new Map([
        [HASH, { status: 'sent', messageId: 'ses-1' }],
        [OTHER, { status: 'sent', messageId: 'ses-2' }],
      ]),
      NOW,
    );
    const retried = { campaignId: 'locals-2027', stepKey: 'polling-day' };
    await ledger.claim(retried, [HASH, OTHER], 'claim-b', NOW, 60_000);
    await ledger.complete(
      retried,
      'claim-b',
      new Map([
        [HASH, { status: 'retry', reason: 'Throttling' }],
        [OTHER, { status: 'sent', messageId: 'ses-3' }],
      ]),
      NOW,
    );
    await ledger.claim(retried, [HASH], 'claim-c', NOW, 60_000);
    await ledger.complete(retried, 'claim-c', new Map([[HASH, { status: 'sent', messageId: 'ses-4' }]]), NOW);
    const mayor = { campaignId: 'mayor-2027', stepKey: 'secure-accounts' };
    await ledger.claim(mayor, [HASH], 'claim-d', NOW, 60_000);
    await ledger.complete(
      mayor,
      'claim-d',
      new Map([[HASH, { status: 'suppressed', reason: 'bounce' }]]),
      NOW,
    );
    // A suppression after a bounce.
    await createSuppressionList(dynamo.client, dynamo.tableName).add(HASH, 'bounce', NOW);
  });
  afterAll(async () => dynamo?.stop());

  it('exports everything held: subscriptions with history, throttle, deliveries, suppression', async () => {
    const data = await exportSubjectData(deps, { email: EMAIL }, 'arn:aws:iam::1:user/approver');
    expect(data.emailHmac).toBe(HASH);
    expect(data.subscriptions.map((s) => [s.campaignId, s.status]).sort()).toEqual([
      ['locals-2027', 'confirmed'],
      ['mayor-2027', 'pending'],
      ['old-2026', 'unsubscribed'],
    ]);
    expect(data.subscriptions.find((s) => s.status === 'confirmed')).toMatchObject({
      email: EMAIL,
      name: NAME,
      history: [{ event: 'signed-up', source: 'form' }],
    });
    // Stored items' keys (pk, audience index) are not part of the export.
    expect(JSON.stringify(data.subscriptions)).not.toMatch(/"pk"|audiencePk/);
    expect(data.confirmationThrottles).toEqual([{ campaignId: 'mayor-2027', sentAt: [NOW.toISOString()] }]);
    const byStep = Object.fromEntries(data.deliveries.map((d) => [`${d.campaignId}/${d.stepKey}`, d]));
    expect(Object.keys(byStep).sort()).toEqual([
      'locals-2027/polling-day',
      'locals-2027/secure-accounts',
      'mayor-2027/secure-accounts',
    ]);
    expect(byStep['locals-2027/secure-accounts']).toEqual({
      campaignId: 'locals-2027',
      stepKey: 'secure-accounts',
      claimedAt: NOW.toISOString(),
      outcomes: [{ status: 'sent', messageId: 'ses-1' }],
    });
    expect(byStep['locals-2027/polling-day']?.outcomes).toEqual(
      expect.arrayContaining([
        { status: 'retry', reason: 'Throttling' },
        { status: 'sent', messageId: 'ses-4' },
      ]),
    );
    // Nothing of the other recipient leaks into this person's export.
    expect(JSON.stringify(data)).not.toMatch(new RegExp(`${OTHER}|ses-2|ses-3|Sam Else`));
    expect(data.suppression).toEqual({ reason: 'bounce', suppressedAt: NOW.toISOString() });
    expect(data.erasure).toBeUndefined();
    expect(audit.at(-1)).toEqual({
      at: NOW.toISOString(),
      actor: 'arn:aws:iam::1:user/approver',
      action: 'subscriber.export',
      detail: { subscriptions: 3, deliveries: 3, suppressed: true, erased: false },
    });
  });

  it('counts confirmed subscribers by role, numbers only', async () => {
    const counts = await createSubscriberCounter(dynamo.client, dynamo.tableName).countByRole('locals-2027');
    expect(counts).toEqual({
      candidate: 2,
      agent: 0,
      'returning-officer': 0,
      'election-staff': 0,
      'polling-staff': 0,
    });
  });

  it('erases every item keyed by the hash; a scan finds address, name and hash only in the marker', async () => {
    const before = await scanAll();
    expect(JSON.stringify(before)).toContain(HASH);
    const erased = await eraseSubject(deps, { email: ` ${EMAIL.toUpperCase()} ` }, 'local-admin');
    expect(erased).toEqual({
      subscriptions: 3,
      confirmationThrottles: 1,
      deliveryRecords: 3,
      callRecords: 4,
      suppressions: 1,
    });
    const after = await scanAll();
    const holding = after.filter((item) => {
      const text = JSON.stringify(item).toLowerCase();
      return text.includes(HASH) || text.includes(EMAIL.toLowerCase()) || text.includes(NAME.toLowerCase());
    });
    expect(holding).toEqual([{ ...keys.erasure(HASH), erasedAt: NOW.toISOString() }]);
    // The other recipient keeps everything: their subscription and their call record entries.
    expect(JSON.stringify(after)).toContain('ses-2');
    expect(JSON.stringify(after)).toContain('ses-3');
    expect(JSON.stringify(after)).toContain('someone.else@example.org');
    expect(await deps.store.isErased(HASH)).toBe(true);
    expect(await deps.store.isErased(OTHER)).toBe(false);
    // Nothing personal in the audit entry: counts only.
    expect(JSON.stringify(audit.at(-1))).not.toMatch(new RegExp(`${HASH}|@`, 'i'));
  });

  it('after erasure, the export shows nothing but the hashed marker; erasing again is harmless', async () => {
    expect(await exportSubjectData(deps, { email: EMAIL }, 'local-admin')).toEqual({
      emailHmac: HASH,
      subscriptions: [],
      confirmationThrottles: [],
      deliveries: [],
      erasure: { erasedAt: NOW.toISOString() },
    });
    const again = await eraseSubject(deps, { email: EMAIL }, 'local-admin');
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
  });

  it('refuses a bad address with a 400 naming email', async () => {
    await expect(exportSubjectData(deps, { email: 'not an address' }, 'x')).rejects.toMatchObject({
      issues: [{ path: 'email' }],
    });
    await expect(eraseSubject(deps, {}, 'x')).rejects.toMatchObject({ issues: [{ path: 'email' }] });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryLedger } from '../../functions/lib/adapters/dynamodb/delivery-ledger';
import { readStepDeliveries } from '../../functions/lib/adapters/dynamodb/delivery-ledger-inspection';
import type { ClaimResult } from '../../functions/lib/delivery/ports';
import { startDynamo } from '../support/dynamo';

/**
 * The claim rules of the delivery ledger against dynalite: a recipient is claimed once, a claim ends
 * once (in its call record), and only a claim that ended with retry or was left behind is taken over.
 */
describe('delivery ledger', () => {
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let ledger: ReturnType<typeof createDeliveryLedger>;
  let units = 0;
  let stepSeq = 0;
  const t0 = new Date('2027-04-22T08:00:00Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);
  const TIMEOUT = 60_000;
  const ids = ['h0000000000000000001', 'h0000000000000000002', 'h0000000000000000003'];

  beforeAll(async () => {
    dynamo = await startDynamo();
    ledger = createDeliveryLedger(dynamo.client, dynamo.tableName, { add: (n) => (units += n) });
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  const freshStep = () => ({ campaignId: 'camp', stepKey: `step${++stepSeq}` });
  const results = (entries: [string, ClaimResult][]) => new Map(entries);

  it('claims each new recipient with one write, and completes a claim with one write', async () => {
    const step = freshStep();
    units = 0;

    const claims = await ledger.claim(step, ids, 'claim-a', t0, TIMEOUT);
    const afterClaims = units;
    await ledger.complete(
      step,
      'claim-a',
      results(ids.map((id, i) => [id, { status: 'sent', messageId: `m${i}` }])),
      later(1000),
    );

    expect([...claims.outcomes.values()]).toEqual(['claimed', 'claimed', 'claimed']);
    expect(afterClaims).toBe(3);
    expect(units - afterClaims).toBe(1);
    expect(await readStepDeliveries(dynamo.client, dynamo.tableName, step)).toEqual(
      ids.map((id, i) => ({ emailHmac: id, claimId: 'claim-a', status: 'sent', messageId: `m${i}` })),
    );
  });

  it('answers busy for a live claim and settled for an ended one, whatever the time', async () => {
    const step = freshStep();
    await ledger.claim(step, ids, 'claim-a', t0, TIMEOUT);
    const whileLive = await ledger.claim(step, ids, 'claim-b', later(1000), TIMEOUT);
    await ledger.complete(
      step,
      'claim-a',
      results([
        [ids[0] as string, { status: 'sent', messageId: 'm0' }],
        [ids[1] as string, { status: 'failed', reason: 'MESSAGE_REJECTED' }],
        [ids[2] as string, { status: 'suppressed', reason: 'no-longer-subscribed' }],
      ]),
      later(2000),
    );

    const muchLater = await ledger.claim(step, ids, 'claim-c', later(30 * 24 * 3600_000), TIMEOUT);

    expect([...whileLive.outcomes.values()]).toEqual(['busy', 'busy', 'busy']);
    expect([...muchLater.outcomes.values()]).toEqual(['settled', 'settled', 'settled']);
    expect(Object.fromEntries(muchLater.ended)).toEqual({ 'claim-a': { sent: 1, failed: 1, suppressed: 1 } });
  });

  it('hands a recipient ended with retry to the next claim at once', async () => {
    const step = freshStep();
    const [first, second] = ids as [string, string];
    await ledger.claim(step, [first, second], 'claim-a', t0, TIMEOUT);
    await ledger.complete(
      step,
      'claim-a',
      results([
        [first, { status: 'retry', reason: 'TRANSIENT_FAILURE' }],
        [second, { status: 'sent', messageId: 'm1' }],
      ]),
      later(500),
    );

    const retried = await ledger.claim(step, [first, second], 'claim-b', later(1000), TIMEOUT);
    const pending = await readStepDeliveries(dynamo.client, dynamo.tableName, step);

    expect(Object.fromEntries(retried.outcomes)).toEqual({ [first]: 'claimed', [second]: 'settled' });
    expect(pending.find((d) => d.emailHmac === first)).toEqual({
      emailHmac: first,
      claimId: 'claim-b',
      status: 'pending',
    });
  });

  it('takes over a claim left behind by a crash only after the timeout, and only once', async () => {
    const step = freshStep();
    const [id] = ids as [string];
    await ledger.claim(step, [id], 'crashed', t0, TIMEOUT);

    const tooSoon = await ledger.claim(step, [id], 'early', later(TIMEOUT - 1), TIMEOUT);
    const racing = await Promise.all(
      ['racer-1', 'racer-2', 'racer-3'].map((claimId) =>
        ledger.claim(step, [id], claimId, later(TIMEOUT + 1), TIMEOUT),
      ),
    );

    expect(tooSoon.outcomes.get(id)).toBe('busy');
    expect(racing.map((claims) => claims.outcomes.get(id)).sort()).toEqual(['busy', 'busy', 'claimed']);
  });

  it('counts an ended claim into the step once, whoever counts it', async () => {
    const step = freshStep();
    await ledger.claim(step, ids, 'claim-a', t0, TIMEOUT);
    await ledger.begin(step, 'claim-a');
    const open = await ledger.getCounts(step);
    await ledger.complete(
      step,
      'claim-a',
      results(ids.map((id, i) => [id, { status: 'sent', messageId: `m${i}` }])),
      later(1),
    );

    const first = await ledger.count(step, 'claim-a', { sent: 3, failed: 0, suppressed: 0 });
    const again = await ledger.count(step, 'claim-a', { sent: 3, failed: 0, suppressed: 0 });

    expect(open.uncounted).toEqual(['claim-a']);
    expect(first).toMatchObject({ sent: 3, failed: 0, suppressed: 0 });
    expect(again).toBeUndefined();
    expect(await ledger.getCounts(step)).toMatchObject({ sent: 3, uncounted: [] });
  });

  it('closes the count of a claim whose sender died before recording anything, before taking it over', async () => {
    const step = freshStep();
    const [id] = ids as [string];
    await ledger.claim(step, [id], 'crashed', t0, TIMEOUT);
    await ledger.begin(step, 'crashed');
    await ledger.begin(step, 'live');

    const takeover = await ledger.claim(step, [id], 'claim-b', later(TIMEOUT + 1), TIMEOUT);

    expect(takeover.outcomes.get(id)).toBe('claimed');
    expect((await ledger.getCounts(step)).uncounted).toEqual(['live']);
  });

  it('keeps the first record when a claim is ended again (a retried write that had landed)', async () => {
    const step = freshStep();
    const [id] = ids as [string];
    await ledger.claim(step, [id], 'claim-a', t0, TIMEOUT);
    await ledger.complete(step, 'claim-a', results([[id, { status: 'sent', messageId: 'm0' }]]), later(1));

    await ledger.complete(step, 'claim-a', results([[id, { status: 'failed', reason: 'late' }]]), later(2));

    expect(await readStepDeliveries(dynamo.client, dynamo.tableName, step)).toMatchObject([
      { status: 'sent', messageId: 'm0' },
    ]);
  });
});

import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignRepository } from '../../functions/lib/adapters/dynamodb/campaign-repository';
import { createDeliveryLedger } from '../../functions/lib/adapters/dynamodb/delivery-ledger';
import { cancelCampaign } from '../../functions/lib/campaigns/campaigns';
import { fanOutStep } from '../../functions/lib/delivery/dispatch';
import { SendThrottledError } from '../../functions/lib/delivery/errors';
import { answerSendRecords } from '../../functions/lib/delivery/records';
import { createStepLookup } from '../../functions/lib/delivery/step-lookup';
import { keys } from '../../functions/lib/storage/table';
import { createOpenCampaign } from '../support/campaigns';
import {
  deliveryRecords,
  fixedClock,
  memoryQueue,
  memorySteps,
  recordingMailer,
  seedSubscriber,
  sendDeps,
} from '../support/delivery-harness';
import { startDynamo } from '../support/dynamo';
import { makeDeps, ORGANISER } from '../unit/campaigns/fakes';

/**
 * The delivery pipeline's guarantees against a real DynamoDB engine (dynalite): every recipient ends
 * sent, failed or suppressed, exactly once, whatever is repeated, throttled or interrupted.
 */
describe('delivery faults', () => {
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let campaignSeq = 0;

  beforeAll(async () => {
    dynamo = await startDynamo();
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  /** A campaign with `n` confirmed candidates and its step fanned out to the queue. */
  const dispatched = async (n: number, script: Parameters<typeof recordingMailer>[0] = () => undefined) => {
    const campaignId = `camp${++campaignSeq}`;
    for (let i = 0; i < n; i++) await seedSubscriber(dynamo, campaignId, 'candidate', campaignSeq * 1000 + i);
    const queue = memoryQueue();
    const steps = memorySteps();
    const mail = recordingMailer(script);
    const time = fixedClock();
    const deps = sendDeps(dynamo, {
      mailer: mail.mailer,
      queue: queue.queue,
      steps: steps.steps,
      clock: time.clock,
    });
    const step = { campaignId, stepKey: 'secure-accounts', version: 1, roles: ['candidate' as const] };
    const fanned = await fanOutStep(deps, step);
    const ledger = createDeliveryLedger(dynamo.client, dynamo.tableName);
    const counts = () => ledger.getCounts({ campaignId, stepKey: 'secure-accounts' });
    return { campaignId, step, queue, steps, mail, time, deps, fanned, counts };
  };

  const drain = async (run: Awaited<ReturnType<typeof dispatched>>) => {
    for (let round = 0; round < 20 && run.queue.messages.length > 0; round++) {
      await answerSendRecords(run.deps, run.queue.take());
    }
  };

  it('fans out in batches of at most 50 ids and sends each recipient once', async () => {
    const run = await dispatched(120);

    const batches = run.queue.messages.map((m) => m.message.recipients.length);
    await drain(run);

    expect(batches).toEqual([50, 50, 20]);
    expect(JSON.stringify(run.queue.messages)).not.toContain('@');
    expect(run.mail.sentTo).toHaveLength(120);
    expect(new Set(run.mail.sentTo).size).toBe(120);
    expect(await run.counts()).toMatchObject({
      recipients: 120,
      sent: 120,
      failed: 0,
      suppressed: 0,
      dispatched: true,
    });
    expect(run.steps.state.status).toBe('sent');
  });

  it('sends nothing more when the same message arrives twice or the step fires twice', async () => {
    const run = await dispatched(30);
    const copy = run.queue.messages.map((m) => ({ ...m }));
    await drain(run);

    run.queue.messages.push(...copy);
    await drain(run);
    const again = await fanOutStep({ ...run.deps }, run.step);

    expect(again.enqueued).toBe(0);
    expect(run.queue.messages).toHaveLength(0);
    expect(run.mail.sentTo).toHaveLength(30);
    expect(await run.counts()).toMatchObject({ recipients: 30, sent: 30 });
  });

  it('re-queues only throttled recipients with backoff, and sends them once later', async () => {
    const run = await dispatched(50, (call, entries) =>
      call === 1
        ? new SendThrottledError('TooManyRequestsException')
        : call === 2
          ? entries.map((_, i) =>
              i < 10
                ? { status: 'retry' as const, reason: 'TRANSIENT_FAILURE' }
                : { status: 'sent' as const, messageId: `m${i}` },
            )
          : undefined,
    );

    await answerSendRecords(run.deps, run.queue.take());
    const afterThrottle = run.queue.messages.map((m) => ({
      size: m.message.recipients.length,
      delay: m.delaySeconds,
    }));
    await answerSendRecords(run.deps, run.queue.take());
    const afterPartial = run.queue.messages.map((m) => ({
      size: m.message.recipients.length,
      delay: m.delaySeconds,
    }));
    await drain(run);

    expect(afterThrottle).toEqual([{ size: 50, delay: 1 }]);
    expect(afterPartial).toEqual([{ size: 10, delay: 2 }]);
    expect(run.mail.sentTo).toHaveLength(50);
    expect(new Set(run.mail.sentTo).size).toBe(50);
    expect(await run.counts()).toMatchObject({ recipients: 50, sent: 50, failed: 0 });
  });

  it('re-queues recipients refused for the daily quota for 15 minutes without using up their attempts, then sends them', async () => {
    const run = await dispatched(20, (call, entries) =>
      call <= 4
        ? entries.map(() => ({ status: 'retry' as const, reason: 'ACCOUNT_DAILY_QUOTA_EXCEEDED' }))
        : undefined,
    );

    const requeued: { size: number; delay: number; attempt: number }[] = [];
    for (let round = 0; round < 4; round++) {
      await answerSendRecords(run.deps, run.queue.take());
      requeued.push(
        ...run.queue.messages.map((m) => ({
          size: m.message.recipients.length,
          delay: m.delaySeconds,
          attempt: m.message.attempt,
        })),
      );
    }
    await drain(run);

    // Four refusals, more than maxAttempts (3): still retried, never recorded failed.
    expect(requeued).toEqual(Array.from({ length: 4 }, () => ({ size: 20, delay: 900, attempt: 1 })));
    expect(run.mail.sentTo).toHaveLength(20);
    expect(await run.counts()).toMatchObject({ recipients: 20, sent: 20, failed: 0 });
  });

  it('retries a throttled SES call in place while holding the claims, without re-queueing', async () => {
    const run = await dispatched(50, (call) =>
      call === 1 ? new SendThrottledError('TooManyRequestsException') : undefined,
    );
    run.deps.inlineRetries = 2;

    await answerSendRecords(run.deps, run.queue.take());

    expect(run.mail.calls()).toBe(2);
    expect(run.queue.messages).toHaveLength(0);
    expect(new Set(run.mail.sentTo).size).toBe(50);
    expect(await run.counts()).toMatchObject({ recipients: 50, sent: 50 });
  });

  it('records a permanently failed bulk entry with its reason and does not retry it', async () => {
    const run = await dispatched(5, (_call, entries) =>
      entries.map((_, i) =>
        i === 2
          ? { status: 'failed' as const, reason: 'MESSAGE_REJECTED' }
          : { status: 'sent' as const, messageId: `m${i}` },
      ),
    );

    await drain(run);
    const records = await deliveryRecords(dynamo, run.campaignId, 'secure-accounts');

    expect(run.mail.calls()).toBe(1);
    expect(records.filter((r) => r.status === 'failed')).toMatchObject([{ reason: 'MESSAGE_REJECTED' }]);
    expect(records.flatMap((r) => (r.status === 'sent' ? [r.messageId] : [])).sort()).toEqual([
      'm0',
      'm1',
      'm3',
      'm4',
    ]);
    expect(await run.counts()).toMatchObject({ recipients: 5, sent: 4, failed: 1 });
    expect(run.steps.state.status).toBe('sent');
  });

  it('records recipients failed once throttling outlasts the retries, losing nobody', async () => {
    const run = await dispatched(7, () => new SendThrottledError('TooManyRequestsException'));

    await drain(run);

    expect(run.mail.sentTo).toHaveLength(0);
    expect(await run.counts()).toMatchObject({ recipients: 7, sent: 0, failed: 7 });
    const records = await deliveryRecords(dynamo, run.campaignId, 'secure-accounts');
    expect(records).toHaveLength(7);
    expect(
      records.every((r) => r.status === 'failed' && r.reason === 'SendThrottledError: retries exhausted'),
    ).toBe(true);
  });

  it('after a crash between claim and send, holds the batch until the claim times out, then sends each once', async () => {
    const run = await dispatched(20);
    const records = run.queue.take();
    const limiter = run.deps.limiter;
    // The process dies after claiming and before sending: no code of ours runs to clean up.
    run.deps.limiter = {
      ...limiter,
      acquire: async () => {
        throw new Error('sender killed');
      },
    };
    const crashed = await answerSendRecords(run.deps, records);
    run.deps.limiter = limiter;
    const tooSoon = await answerSendRecords(run.deps, records);
    run.time.advance(61_000);
    const afterTimeout = await answerSendRecords(run.deps, records);

    expect(crashed.batchItemFailures).toHaveLength(1);
    expect(tooSoon.batchItemFailures).toHaveLength(1);
    expect(afterTimeout.batchItemFailures).toHaveLength(0);
    expect(run.mail.sentTo).toHaveLength(20);
    expect(new Set(run.mail.sentTo).size).toBe(20);
    expect(await run.counts()).toMatchObject({ recipients: 20, sent: 20, uncounted: [] });
  });

  it('sends nothing again when a message repeats long after its claims ended', async () => {
    const run = await dispatched(15);
    const records = run.queue.take();
    await answerSendRecords(run.deps, records);

    // Later than the claim timeout: the claims look stale, but their call record says how they ended.
    run.time.advance(10 * 60_000);
    const repeated = await answerSendRecords(run.deps, records);

    expect(repeated.batchItemFailures).toHaveLength(0);
    expect(run.mail.sentTo).toHaveLength(15);
    expect(await run.counts()).toMatchObject({ recipients: 15, sent: 15 });
    const deliveries = await deliveryRecords(dynamo, run.campaignId, 'secure-accounts');
    expect(deliveries.filter((d) => d.status === 'sent')).toHaveLength(15);
    expect(new Set(deliveries.map((d) => d.claimId)).size).toBe(1);
  });

  it('counts a batch whose sender died between its call record and its count when the message comes back, once', async () => {
    const run = await dispatched(12);
    const records = run.queue.take();
    const ledger = run.deps.ledger;
    // The process dies after recording how the claim ended and before adding it to the step's counts.
    run.deps.ledger = {
      ...ledger,
      count: async () => {
        throw new Error('sender killed');
      },
    };
    const crashed = await answerSendRecords(run.deps, records);
    run.deps.ledger = ledger;
    const countsAfterCrash = await run.counts();

    const cameBack = await answerSendRecords(run.deps, records);
    const again = await answerSendRecords(run.deps, records);

    expect(crashed.batchItemFailures).toHaveLength(1);
    expect(countsAfterCrash).toMatchObject({ recipients: 12, sent: 0 });
    expect(cameBack.batchItemFailures).toHaveLength(0);
    expect(again.batchItemFailures).toHaveLength(0);
    expect(run.mail.sentTo).toHaveLength(12);
    expect(await run.counts()).toMatchObject({
      recipients: 12,
      sent: 12,
      failed: 0,
      suppressed: 0,
      uncounted: [],
    });
    expect(run.steps.state.status).toBe('sent');
  });

  it('ends its claims as retry when SES fails unexpectedly, so the retried message sends at once, once', async () => {
    const run = await dispatched(10, (call) => (call === 1 ? new Error('socket hang up') : undefined));
    const records = run.queue.take();

    const failed = await answerSendRecords(run.deps, records);
    const retried = await answerSendRecords(run.deps, records);

    expect(failed.batchItemFailures).toHaveLength(1);
    expect(retried.batchItemFailures).toHaveLength(0);
    expect(new Set(run.mail.sentTo).size).toBe(10);
    expect(run.mail.sentTo).toHaveLength(10);
    expect(await run.counts()).toMatchObject({ recipients: 10, sent: 10, uncounted: [] });
  });

  it('records every claimed recipient failed when SES refuses the request itself (4xx)', async () => {
    const run = await dispatched(6, () =>
      Object.assign(new Error('Template does not exist'), {
        name: 'NotFoundException',
        $metadata: { httpStatusCode: 404 },
      }),
    );

    await drain(run);

    expect(await run.counts()).toMatchObject({ recipients: 6, sent: 0, failed: 6 });
    expect(run.steps.state.status).toBe('sent');
  });

  it('marks the step sent on a repeated message when an earlier sender counted everyone but crashed before', async () => {
    const run = await dispatched(5);
    const records = run.queue.take();
    const markSent = run.steps.steps.markSent;
    run.steps.steps.markSent = async () => {
      throw new Error('crashed before marking the step sent');
    };
    await answerSendRecords(run.deps, records);
    run.steps.steps.markSent = markSent;

    await answerSendRecords(run.deps, records);

    expect(run.steps.state.status).toBe('sent');
    expect(run.mail.sentTo).toHaveLength(5);
  });

  it('settles recipients who left after dispatch as suppressed, without sending to them', async () => {
    const run = await dispatched(10);
    const [first] = run.queue.messages[0]?.message.recipients ?? [];
    // Unsubscribing removes the audience index keys; here the whole subscription goes.
    await dynamo.client.send(
      new DeleteCommand({
        TableName: dynamo.tableName,
        Key: keys.subscription(String(first), run.campaignId),
      }),
    );

    await drain(run);

    expect(run.mail.sentTo).toHaveLength(9);
    expect(await run.counts()).toMatchObject({ recipients: 10, sent: 9, suppressed: 1 });
    expect(run.steps.state.status).toBe('sent');
  });

  it('sends nothing for a step cancelled after dispatch and accounts for every recipient', async () => {
    const run = await dispatched(12);
    run.steps.state.live = false;

    await drain(run);

    expect(run.mail.calls()).toBe(0);
    expect(await run.counts()).toMatchObject({ recipients: 12, sent: 0, suppressed: 12 });
  });

  it('stops sending when the campaign is cancelled mid-send, and the step ends cancelled', async () => {
    const run = await dispatched(120);
    const [first, ...rest] = run.queue.take();
    await answerSendRecords(run.deps, first ? [first] : []);

    run.steps.state.cancelled = true;
    await answerSendRecords(run.deps, rest);

    expect(run.mail.sentTo).toHaveLength(50);
    expect(await run.counts()).toMatchObject({ recipients: 120, sent: 50, suppressed: 70 });
    expect(run.steps.state.status).toBe('cancelled');
  });

  it('stops fanning out when the campaign is cancelled between pages, and the step ends cancelled', async () => {
    const run = await dispatched(0);
    for (let i = 0; i < 510; i++) await seedSubscriber(dynamo, run.campaignId, 'candidate', 900_000 + i);
    const read = run.steps.steps.stepContext;
    let reads = 0;
    run.deps.steps.stepContext = (step, version) => {
      reads += 1;
      if (reads === 2) run.steps.state.cancelled = true;
      return read(step, version);
    };
    run.steps.state.status = 'due';

    const fanned = await fanOutStep(run.deps, { ...run.step, stepKey: 'second-step' });

    expect(fanned.enqueued).toBe(500);
    expect(run.queue.messages).toHaveLength(10);
    expect(run.steps.state.status).toBe('cancelled');
  });

  it('ends a step interrupted by a cancellation cancelled in DynamoDB, once, and never a step of an open campaign', async () => {
    const campaigns = createCampaignRepository(dynamo.client, dynamo.tableName);
    const deps = { ...makeDeps('2027-03-01T12:00:00Z'), campaigns };
    const { campaign } = await createOpenCampaign(deps, {
      name: 'Cancelled',
      pollDate: '2027-05-06',
      nation: 'england',
      organiser: ORGANISER,
    });
    const [step] = campaign.steps;
    if (!step) throw new Error('no step');
    await campaigns.markStepDue(campaign.id, step.key, step.version, '2027-03-25T09:00:00Z');
    const lookup = createStepLookup(campaigns, { cacheMs: 0 });
    const ref = { campaignId: campaign.id, stepKey: step.key };

    const whileOpen = await campaigns.markStepCancelled(
      campaign.id,
      step.key,
      step.version,
      '2027-03-25T09:01:00Z',
    );
    await cancelCampaign(deps, campaign.id);
    const context = await lookup.stepContext(ref, step.version);
    const first = await campaigns.markStepCancelled(
      campaign.id,
      step.key,
      step.version,
      '2027-03-25T09:02:00Z',
    );
    const again = await campaigns.markStepCancelled(
      campaign.id,
      step.key,
      step.version,
      '2027-03-25T09:03:00Z',
    );
    const stored = await campaigns.getCampaign(campaign.id);

    expect(whileOpen).toBe(false);
    expect(context).toMatchObject({ live: false, interrupted: true });
    expect([first, again]).toEqual([true, false]);
    expect(stored?.steps.find((s) => s.key === step.key)?.status).toBe('cancelled');
  });

  it('marks a step with nobody to send to as sent at once', async () => {
    const run = await dispatched(0);

    expect(run.fanned).toEqual({ enqueued: 0, recipients: 0 });
    expect(run.steps.state.status).toBe('sent');
  });
});

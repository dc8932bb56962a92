import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { createAudienceDirectory } from '../functions/lib/adapters/dynamodb/audience-directory';
import { createCampaignRepository } from '../functions/lib/adapters/dynamodb/campaign-repository';
import { createDeliveryLedger } from '../functions/lib/adapters/dynamodb/delivery-ledger';
import { createSesBulkMailer } from '../functions/lib/adapters/ses/bulk-mailer';
import { readSendRate } from '../functions/lib/adapters/ses/send-quota';
import { createSendQueue } from '../functions/lib/adapters/sqs/send-queue';
import { systemClock } from '../functions/lib/clock';
import type { RateLimiter } from '../functions/lib/delivery/ports';
import { createRateLimiter } from '../functions/lib/delivery/rate-limiter';
import { answerSendRecords } from '../functions/lib/delivery/records';
import type { SendDeps } from '../functions/lib/delivery/send';
import { createStepLookup } from '../functions/lib/delivery/step-lookup';
import { INLINE_RETRIES, INLINE_RETRY_BASE_MS, limiterBurst } from '../functions/lib/root/send';

/**
 * The benchmark's sender, in a process of its own (as a Lambda instance is), so that its memory is
 * measured apart from dynalite, the queue and the SES stand-in. The parent's SQS stand-in hands it
 * each batch over IPC; it answers with the partial batch failures, and at the end with its capacity
 * units and its peak memory (resident set size and heap, sampled every 100 ms and after each batch).
 */
export interface SenderInit {
  type: 'init';
  dbEndpoint: string;
  sesEndpoint: string;
  sqsEndpoint: string;
  queueUrl: string;
  table: string;
}
export type ToSender =
  | SenderInit
  | { type: 'batch'; id: number; records: SQSRecord[] }
  | { type: 'kill'; batches: number }
  | { type: 'stats' };
export type FromSender =
  | { type: 'ready' }
  | { type: 'batch'; id: number; batchItemFailures: { itemIdentifier: string }[]; killed: boolean }
  | {
      type: 'stats';
      units: { audience: number; ledger: number };
      peakRssMb: number;
      peakHeapMb: number;
      peakExternalMb: number;
      retainedHeapMb: number;
    };

class SenderKilledError extends Error {
  override readonly name = 'SenderKilledError';
}

const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const units = { audience: 0, ledger: 0 };
const peak = { heapUsed: 0, external: 0, rss: 0 };
const sampleHeap = () => {
  const usage = process.memoryUsage();
  peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
  peak.external = Math.max(peak.external, usage.external);
  peak.rss = Math.max(peak.rss, usage.rss);
};
setInterval(sampleHeap, 100).unref();

/** The heap still in use after a full collection (what the sender keeps), when run with --expose-gc. */
const retainedHeap = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

let deps: SendDeps | undefined;
let killsLeft = 0;

const init = async (config: SenderInit) => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: config.dbEndpoint, region: 'eu-west-2', credentials }),
  );
  // A cold start: the quota is read once.
  const ses = new SESv2Client({
    endpoint: config.sesEndpoint,
    region: 'eu-west-2',
    credentials,
    maxAttempts: 1,
  });
  const { rate } = await readSendRate(ses);
  const limiter = createRateLimiter(rate, { burst: limiterBurst(rate) });
  const pacedOrKilled: RateLimiter = {
    async acquire(recipients) {
      // Told to die: the senders in flight die after claiming and before sending; the error skips
      // all of the sender's own handling, as a killed process would, leaving the claims to time out.
      if (killsLeft > 0) {
        killsLeft -= 1;
        throw new SenderKilledError('killed between claim and send');
      }
      return limiter.acquire(recipients);
    },
    refund: (recipients) => limiter.refund(recipients),
  };
  const meter = (store: keyof typeof units) => ({ add: (n: number) => (units[store] += n) });
  deps = {
    audience: createAudienceDirectory(client, config.table, meter('audience')),
    ledger: createDeliveryLedger(client, config.table, meter('ledger')),
    mailer: createSesBulkMailer(ses, { from: 'bench@example.org' }),
    limiter: pacedOrKilled,
    queue: createSendQueue(
      new SQSClient({ endpoint: config.sqsEndpoint, region: 'eu-west-2', credentials }),
      config.queueUrl,
    ),
    steps: createStepLookup(createCampaignRepository(client, config.table), { cacheMs: 5000 }),
    clock: systemClock,
    metrics: { sent: () => {}, failed: () => {}, throttled: () => {}, latency: () => {} },
    unsubscribeUrl: (hash, c) => `https://reminders.example/unsubscribe?token=${c}.${hash}`,
    manageUrl: (hash, c) => `https://reminders.example/manage?token=${c}.${hash}`,
    reminderPageUrl: (c, step, role) =>
      `https://reminders.example/campaigns/${c}/reminders/${step}?role=${role}`,
    templatePrefix: '',
    claimTimeoutMs: 3000,
    maxAttempts: 8,
    retryBaseDelaySeconds: 0,
    // As in Lambda.
    inlineRetries: INLINE_RETRIES,
    inlineRetryBaseMs: INLINE_RETRY_BASE_MS,
  };
};

const reply = (message: FromSender) => process.send?.(message);

process.on('message', async (message: ToSender) => {
  if (message.type === 'init') {
    await init(message);
    reply({ type: 'ready' });
  } else if (message.type === 'kill') {
    killsLeft = message.batches;
  } else if (message.type === 'batch') {
    if (!deps) throw new Error('sender not initialised');
    const before = killsLeft;
    const result = await answerSendRecords(deps, message.records);
    sampleHeap();
    reply({
      type: 'batch',
      id: message.id,
      batchItemFailures: result.batchItemFailures,
      killed: killsLeft < before,
    });
  } else if (message.type === 'stats') {
    sampleHeap();
    reply({
      type: 'stats',
      units,
      // Sampled, not getrusage's maxRSS: Linux carries the parent's high-water mark across fork and
      // exec, so maxRSS would report the benchmark process (dynalite holding every item), not ours.
      peakRssMb: peak.rss / 1024 / 1024,
      peakHeapMb: peak.heapUsed / 1024 / 1024,
      peakExternalMb: peak.external / 1024 / 1024,
      retainedHeapMb: retainedHeap() / 1024 / 1024,
    });
  }
});

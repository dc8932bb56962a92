import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { Command } from 'commander';
import dynalite from 'dynalite';
import { createAudienceDirectory } from '../functions/lib/adapters/dynamodb/audience-directory';
import { createCampaignRepository } from '../functions/lib/adapters/dynamodb/campaign-repository';
import { createDeliveryLedger } from '../functions/lib/adapters/dynamodb/delivery-ledger';
import { readStepDeliveries } from '../functions/lib/adapters/dynamodb/delivery-ledger-inspection';
import { createSendQueue } from '../functions/lib/adapters/sqs/send-queue';
import { systemClock } from '../functions/lib/clock';
import { fanOutStep } from '../functions/lib/delivery/dispatch';
import { settledCount } from '../functions/lib/delivery/model';
import { createStepLookup } from '../functions/lib/delivery/step-lookup';
import { ukElectionSecurity } from '../functions/lib/playbooks/uk-election-security';
import { keys } from '../functions/lib/storage/table';
import { layOutTimeline } from '../functions/lib/timeline/lay-out';
import { LocalAwsEmulator } from '../local/aws-emulator';
import { ensureTable } from '../local/table';
import { runImportBench } from './import';
import type { FromSender, SenderInit, ToSender } from './sender-process';
import { startSesStandIn } from './ses-standin';

const SENDER_PROCESS = fileURLToPath(new URL('./sender-process.ts', import.meta.url));
/** The old-space limit of the sender process: most of the send function's 512 MB. */
const SENDER_HEAP_MB = 384;

/**
 * `npm run bench`: fans one step out to N confirmed recipients through the real fan-out, the real
 * SQS wire protocol (local stand-in, bounded consumer concurrency), the real DynamoDB ledger on
 * dynalite and the real SES v2 client against a stand-in that enforces a maximum send rate. Three
 * scenarios run side by side in one process: fault-free, 10% of SES calls throttled, and the sender
 * killed halfway (between claim and send) and restarted.
 */
const program = new Command('npm run bench --')
  .option(
    '--recipients <list>',
    'confirmed recipients to fan out to; a comma-separated list runs each size in turn (e.g. 1000,10000,100000)',
    '10000',
  )
  .option('--max-rate <n>', 'SES maximum send rate, recipients per second', '500')
  .option('--latency-ms <n>', 'SES latency per SendBulkEmail call', '40')
  .option('--concurrency <n>', 'send consumers running at once (event source maximum concurrency)', '4')
  .option(
    '--scenarios <list>',
    'comma-separated: fault-free,throttled-10pct,sender-killed,import (import: a CSV of --import-rows through the import and confirmation workers)',
    'fault-free,throttled-10pct,sender-killed',
  )
  .option('--import-rows <n>', 'import scenario: rows in the file', '20000')
  .option('--import-bad-share <n>', 'import scenario: share of bad rows', '0.01')
  .option(
    '--import-max-rate <n>',
    'import scenario: the SES account rate (the import takes IMPORT_SEND_SHARE of it)',
    '200',
  )
  .option('--import-share <n>', 'import scenario: IMPORT_SEND_SHARE', '0.5')
  .parse();
const opts = program.opts<{
  importRows: string;
  importBadShare: string;
  importMaxRate: string;
  importShare: string;
  recipients: string;
  maxRate: string;
  latencyMs: string;
  concurrency: string;
  scenarios: string;
}>();
const SIZES = opts.recipients.split(',').map((size) => Number(size.replace(/_/g, '')));
if (SIZES.some((size) => !Number.isInteger(size) || size < 1)) {
  program.error(`--recipients: whole numbers separated by commas, not ${opts.recipients}`);
}
const MAX_RATE = Number(opts.maxRate);
const CONCURRENCY = Number(opts.concurrency);
const TABLE = 'esr-bench';
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const db = dynalite({ createTableMs: 0 });
await new Promise<void>((resolve) => db.listen(0, '127.0.0.1', resolve));
const dbEndpoint = `http://127.0.0.1:${(db.address() as AddressInfo).port}`;
const raw = new DynamoDBClient({ endpoint: dbEndpoint, region: 'eu-west-2', credentials });
await ensureTable(raw, TABLE);
const client = DynamoDBDocumentClient.from(raw);
const ses = await startSesStandIn({ maxRate: MAX_RATE, latencyMs: Number(opts.latencyMs), throttleShare: 0 });
const emulator = new LocalAwsEmulator({ functions: new Map() });
await emulator.listen(0);
const sqs = new SQSClient({ endpoint: emulator.url, region: 'eu-west-2', credentials });

/**
 * Writes N confirmed subscribers of a campaign as the subscriptions store writes them (the same
 * attributes, a 64-hex-digit address HMAC, a short history), 25 per call, and the campaign itself
 * with its step due, so the sender reads real-sized items through the real stores.
 */
const seed = async (campaignId: string, N: number) => {
  const at = '2027-03-20T10:00:00.000Z';
  const ids: string[] = [];
  for (let i = 0; i < N; i += 25) {
    const items = [];
    for (let j = i; j < Math.min(N, i + 25); j++) {
      const emailHmac = createHash('sha256').update(`${campaignId}:${j}`).digest('hex');
      ids.push(emailHmac);
      items.push({
        PutRequest: {
          Item: {
            ...keys.subscription(emailHmac, campaignId),
            ...keys.audienceEntry(campaignId, 'candidate', emailHmac),
            emailHmac,
            campaignId,
            email: `person.number${j}@bench.example.org`,
            name: `Person Number ${j}`,
            role: 'candidate',
            status: 'confirmed',
            source: 'form',
            consentAt: at,
            createdAt: at,
            updatedAt: at,
            confirmedAt: at,
            history: [
              { at, event: 'signed-up', source: 'form' },
              { at, event: 'confirmed', source: 'email-link' },
            ],
            expiresAt: 1_815_000_000,
            version: 2,
          },
        },
      });
    }
    await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: items } }));
  }
  const campaign = createCampaignRepository(client, TABLE);
  const laidOut = layOutTimeline(ukElectionSecurity, {
    election: 'local',
    nation: 'england',
    pollDate: '2027-05-06',
  });
  const [step] = laidOut.steps;
  await campaign.createCampaign({
    id: campaignId,
    name: 'Bench borough council elections 2027',
    organiser: { name: 'Bench Borough Council', email: 'elections@bench.example' },
    contacts: {},
    pollDate: '2027-05-06',
    election: 'local',
    nation: 'england',
    nonWorkingDays: [],
    milestones: laidOut.milestones,
    playbook: ukElectionSecurity.id,
    timezone: 'Europe/London',
    status: 'open',
    steps: [
      {
        ...(step as NonNullable<typeof step>),
        id: `${campaignId}.${step?.key}`,
        position: 0,
        status: 'due',
        version: 1,
        scheduleName: 'bench',
      },
    ],
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
  return { ids, campaign, stepKey: String(step?.key) };
};

/** Starts the sender in its own process (a cold start) and waits until it has read the quota. */
const startSender = async (init: SenderInit) => {
  const child = fork(SENDER_PROCESS, [], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      // The send function's memory (512 MB), as a Lambda instance's heap is bounded by it.
      `--max-old-space-size=${SENDER_HEAP_MB}`,
    ],
    stdio: 'inherit',
  });
  const pending = new Map<number, (message: FromSender & { type: 'batch' }) => void>();
  let onStats: ((message: FromSender & { type: 'stats' }) => void) | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: FromSender) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'batch') pending.get(message.id)?.(message);
      else if (message.type === 'stats') onStats?.(message);
    });
  });
  const send = (message: ToSender) => child.send(message);
  send(init);
  await ready;
  let nextId = 0;
  return {
    batch: (records: SQSRecord[]) =>
      new Promise<FromSender & { type: 'batch' }>((resolve) => {
        const id = nextId++;
        pending.set(id, (answer) => {
          pending.delete(id);
          resolve(answer);
        });
        send({ type: 'batch', id, records });
      }),
    kill: (batches: number) => send({ type: 'kill', batches }),
    stats: () =>
      new Promise<FromSender & { type: 'stats' }>((resolve) => {
        onStats = resolve;
        send({ type: 'stats' });
      }),
    stop: () => new Promise<void>((resolve) => child.once('exit', () => resolve()).kill()),
  };
};

const runScenario = async (scenario: string, N: number) => {
  const campaignId = `bench${scenario.replace(/[^a-z0-9]/g, '')}n${N}`;
  const { ids, campaign, stepKey } = await seed(campaignId, N);
  ses.reset();
  ses.setThrottleShare(scenario === 'throttled-10pct' ? 0.1 : 0);
  // Dispatch runs here, the sender in its own process; each meters its own capacity units.
  const units = { audience: 0, ledger: 0 };
  const meterFor = (store: keyof typeof units) => ({ add: (n: number) => (units[store] += n) });
  const queueName = `send-${scenario}-${N}`;
  const fanOutDeps = {
    audience: createAudienceDirectory(client, TABLE, meterFor('audience')),
    ledger: createDeliveryLedger(client, TABLE, meterFor('ledger')),
    queue: createSendQueue(sqs, emulator.queueUrl(queueName)),
    steps: createStepLookup(campaign, { cacheMs: 5000 }),
    clock: systemClock,
  };
  emulator.createQueue(`${queueName}-dlq`);
  const sender = await startSender({
    type: 'init',
    dbEndpoint,
    sesEndpoint: ses.endpoint,
    sqsEndpoint: emulator.url,
    queueUrl: emulator.queueUrl(queueName),
    table: TABLE,
  });
  let killed = false;
  emulator.createQueue(queueName, {
    consumer: {
      functionName: 'send',
      batchSize: 1,
      maxConcurrency: CONCURRENCY,
      handler: async (event) => {
        // Halfway through, the senders in flight are killed (between claim and send) and restarted.
        if (scenario === 'sender-killed' && !killed && ses.deliveries.size >= N / 2) {
          killed = true;
          sender.kill(CONCURRENCY);
        }
        const answer = await sender.batch((event as SQSEvent).Records);
        // The restart: a killed sender's instance takes a moment to come back.
        if (answer.killed) await new Promise((r) => setTimeout(r, 500));
        return { batchItemFailures: answer.batchItemFailures };
      },
    },
    deadLetter: { queueName: `${queueName}-dlq`, maxReceiveCount: 20 },
    visibilityTimeoutMs: 1000,
  });

  const started = performance.now();
  await fanOutStep(fanOutDeps, { campaignId, stepKey, version: 1, roles: ['candidate'] });
  await emulator.drain();
  const seconds = (performance.now() - started) / 1000;
  const senderStats = await sender.stats();
  await sender.stop();
  units.audience += senderStats.units.audience;
  units.ledger += senderStats.units.ledger;

  const counts = await createDeliveryLedger(client, TABLE).getCounts({ campaignId, stepKey });
  const stepStatus = (await campaign.getCampaign(campaignId))?.steps[0]?.status;
  const delivered = [...ses.deliveries.values()];
  const duplicates = delivered.reduce((sum, count) => sum + Math.max(0, count - 1), 0);
  const settled = settledCount(counts);
  // Lost: a recipient the ledger does not show settled, a count short, or a send counted but not made.
  const deliveries = await readStepDeliveries(client, TABLE, { campaignId, stepKey });
  const settledIds = new Set(deliveries.filter((d) => d.status !== 'pending').map((d) => d.emailHmac));
  const unsettled = ids.filter((id) => !settledIds.has(id)).length;
  const lost =
    Math.max(unsettled, ids.length - Math.min(ids.length, settled)) +
    Math.max(0, counts.sent - ses.deliveries.size);
  return {
    scenario,
    recipients: N,
    seconds: round(seconds, 2),
    recipientsPerSecond: round(N / seconds, 1),
    maxRate: MAX_RATE,
    rateRatio: round(N / seconds / MAX_RATE, 3),
    // SendBulkEmail calls (the one GetAccount per cold start is in detail.sesCalls).
    sesCallsPerRecipient: round(ses.stats.bulkCalls / N, 4),
    capacityUnitsPerRecipient: round((units.audience + units.ledger) / N, 3),
    senderPeakRssMb: round(senderStats.peakRssMb, 1),
    senderPeakHeapMb: round(senderStats.peakHeapMb, 1),
    senderRetainedHeapMb: round(senderStats.retainedHeapMb, 1),
    senderPeakExternalMb: round(senderStats.peakExternalMb, 1),
    duplicates,
    lost,
    detail: {
      sent: counts.sent,
      unsettledInLedger: unsettled,
      // Audience index reads (dispatch and send) and ledger writes (claims, call records, counts).
      capacityUnitsPerRecipientByStore: {
        audience: round(units.audience / N, 3),
        ledger: round(units.ledger / N, 3),
      },
      failed: counts.failed,
      suppressed: counts.suppressed,
      sesCalls: ses.stats.calls,
      throttledInjected: ses.stats.throttledInjected,
      throttledByRate: ses.stats.throttledByRate,
      deadLettered: emulator.peek(`${queueName}-dlq`).length,
      firstSendAfterSeconds: round((ses.stats.firstSendAt - started) / 1000, 2),
      lastSendAfterSeconds: round((ses.stats.lastSendAt - started) / 1000, 2),
      stepStatus,
      concurrency: CONCURRENCY,
      latencyMs: Number(opts.latencyMs),
      loadAverageAtEnd: loadavg().map((load) => round(load, 2)),
    },
  };
};

const round = (value: number, digits: number) => Number(value.toFixed(digits));

const results: Record<string, unknown>[] = [];
const scenarios = opts.scenarios.split(',');
if (scenarios.includes('import')) {
  const rows = Number(opts.importRows);
  const rate = Number(opts.importMaxRate) * Number(opts.importShare);
  process.stderr.write(`running import (${rows} rows, invitations at up to ${rate}/s)…\n`);
  results.push(
    await runImportBench({
      rows,
      badShare: Number(opts.importBadShare),
      maxRate: Number(opts.importMaxRate),
      share: Number(opts.importShare),
      latencyMs: Number(opts.latencyMs),
    }),
  );
}
for (const N of SIZES) {
  for (const scenario of scenarios.filter((name) => name !== 'import')) {
    process.stderr.write(`running ${scenario} (${N} recipients at up to ${MAX_RATE}/s)…\n`);
    results.push(await runScenario(scenario, N));
  }
}

console.table(results.map(({ detail: _detail, ...row }) => row));
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
await mkdir('bench/results', { recursive: true });
const file = `bench/results/${stamp}.json`;
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${file}`);

await emulator.close();
await ses.close();
client.destroy();
await new Promise<void>((resolve) => db.close(() => resolve()));

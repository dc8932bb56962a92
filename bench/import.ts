import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import dynalite from 'dynalite';
import { createCampaignRepository } from '../functions/lib/adapters/dynamodb/campaign-repository';
import { createImportJobStore } from '../functions/lib/adapters/dynamodb/import-jobs';
import { createImportQueue } from '../functions/lib/adapters/sqs/import-queues';
import { systemClock } from '../functions/lib/clock';
import { createImport } from '../functions/lib/imports/create';
import type { ImportCreateDeps } from '../functions/lib/imports/ports';
import { IMPORT_CONSUMER, processImportRecords } from '../functions/lib/imports/records';
import { keys } from '../functions/lib/storage/table';
import { processConfirmationRecords } from '../functions/lib/subscriptions/confirmation-email';
import { CONFIRMATION_CONSUMER } from '../functions/lib/subscriptions/confirmation-request';
import { LocalAwsEmulator } from '../local/aws-emulator';
import { ensureTable } from '../local/table';
import { startSesStandIn } from './ses-standin';

export interface ImportBenchOptions {
  rows: number;
  /** Share of rows that are bad (malformed address, unknown role, duplicate), e.g. 0.01. */
  badShare: number;
  /** The SES account's maximum send rate (the stand-in throttles beyond it). */
  maxRate: number;
  /** The share of it an import may use (IMPORT_SEND_SHARE). */
  share: number;
  latencyMs: number;
}

const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const TABLE = 'esr-bench-import';

/** A file as an organiser's spreadsheet would give it: BOM, CRLF, quoted names, 1% bad rows. */
export const benchCsv = (rows: number, badShare: number): { csv: string; bad: number } => {
  const lines = ['\uFEFFemail,name,role'];
  const roles = ['candidate', 'agent', 'returning-officer', 'election-staff', 'polling-staff'];
  const every = Math.round(1 / badShare);
  let bad = 0;
  for (let i = 0; i < rows; i++) {
    if (i % every === every - 1) {
      bad++;
      const kind = bad % 3;
      lines.push(
        kind === 0
          ? `not-an-address-${i},,candidate`
          : kind === 1
            ? `person${i}@bench.example.org,,mayor`
            : `person${i - 1}@bench.example.org,"Duplicate Row",agent`,
      );
      continue;
    }
    lines.push(
      `person${i}@bench.example.org,"Person ${String.fromCharCode(65 + (i % 26))}",${roles[i % roles.length]}`,
    );
  }
  return { csv: `${lines.join('\r\n')}\r\n`, bad };
};

/**
 * Imports a file of N rows end to end in one process: the admin API's create (parse, chunk items,
 * queue), the import worker consuming the import queue (SQS stand-in, real wire protocol) at a share of
 * the SES rate, and the real confirmation worker consuming the confirmation queue, sending with the
 * real SES v2 client to a stand-in that enforces the account's rate. DynamoDB is dynalite.
 */
export const runImportBench = async (options: ImportBenchOptions) => {
  const db = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => db.listen(0, '127.0.0.1', resolve));
  const dbEndpoint = `http://127.0.0.1:${(db.address() as AddressInfo).port}`;
  const raw = new DynamoDBClient({ endpoint: dbEndpoint, region: 'eu-west-2', credentials });
  await ensureTable(raw, TABLE);
  const dynamo = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const ses = await startSesStandIn({
    maxRate: options.maxRate,
    latencyMs: options.latencyMs,
    throttleShare: 0,
  });
  const emulator = new LocalAwsEmulator({ functions: new Map() });
  await emulator.listen(0);
  const sqs = new SQSClient({ endpoint: emulator.url, region: 'eu-west-2', credentials });
  const tokenSecretArn = emulator.putSecret('bench/token-key', 'b'.repeat(64));

  const campaignId = 'bench-import-2027';
  await dynamo.send(
    new PutCommand({
      TableName: TABLE,
      Item: {
        ...keys.campaign(campaignId),
        id: campaignId,
        name: 'Bench borough council elections 2027',
        organiser: { name: 'Bench Borough Council', email: 'elections@bench.example' },
        pollDate: '2027-05-06',
        nation: 'england',
        playbook: 'uk-election-security',
        sendTime: '09:00',
        timezone: 'Europe/London',
        status: 'open',
        steps: {},
        version: 1,
        createdAt: '2027-01-01T00:00:00.000Z',
        updatedAt: '2027-01-01T00:00:00.000Z',
      },
    }),
  );

  const importQueueUrl = emulator.queueUrl('import');
  const confirmationQueueUrl = emulator.queueUrl('confirmation');
  // The functions' own composition roots, their SDK clients pointed at the engines and stand-ins by
  // the standard endpoint variables (as the local stack does).
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: dbEndpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_SQS: emulator.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: emulator.url,
  });
  const { importWorkerDeps } = await import('../functions/lib/root/import');
  const { confirmationEmailDeps } = await import('../functions/lib/root/confirmation-email');
  const worker = importWorkerDeps({
    TABLE_NAME: TABLE,
    IMPORT_QUEUE_URL: importQueueUrl,
    CONFIRMATION_QUEUE_URL: confirmationQueueUrl,
    TOKEN_SECRET_ARN: tokenSecretArn,
    IMPORT_SEND_SHARE: options.share,
    IMPORT_LEASE_SECONDS: 150,
    IMPORT_INVITATION_DELAY_SECONDS: 3,
  });
  const confirmation = confirmationEmailDeps({
    TABLE_NAME: TABLE,
    PUBLIC_BASE_URL: 'https://reminders.bench.example',
    TOKEN_SECRET_ARN: tokenSecretArn,
    SENDER_EMAIL: 'reminders@bench.example',
    SES_TEMPLATE_PREFIX: '',
  });
  // The Lambda timeout of the import function (120 s), as each invocation sees it.
  emulator.createQueue('import-dlq');
  emulator.createQueue('import', {
    consumer: {
      functionName: 'import',
      handler: async (event, context) =>
        processImportRecords(worker, (event as SQSEvent).Records, () => context.getRemainingTimeInMillis()),
      batchSize: IMPORT_CONSUMER.batchSize,
      maxConcurrency: IMPORT_CONSUMER.maxConcurrency,
    },
    deadLetter: { queueName: 'import-dlq', maxReceiveCount: IMPORT_CONSUMER.maxReceiveCount },
    visibilityTimeoutMs: 720_000,
  });
  emulator.createQueue('confirmation-dlq');
  emulator.createQueue('confirmation', {
    consumer: {
      functionName: 'confirmation-email',
      handler: async (event) => processConfirmationRecords(confirmation, (event as SQSEvent).Records),
      batchSize: CONFIRMATION_CONSUMER.batchSize,
      maxConcurrency: CONFIRMATION_CONSUMER.maxConcurrency,
    },
    deadLetter: { queueName: 'confirmation-dlq', maxReceiveCount: CONFIRMATION_CONSUMER.maxReceiveCount },
    visibilityTimeoutMs: 180_000,
  });

  const { csv, bad } = benchCsv(options.rows, options.badShare);
  const create: ImportCreateDeps = {
    jobs: createImportJobStore(dynamo, TABLE),
    queue: createImportQueue(sqs, importQueueUrl),
    campaigns: createCampaignRepository(dynamo, TABLE),
    clock: systemClock,
  };

  // Memory of this process (dynalite, the stand-ins and both workers together), sampled every 100 ms.
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 100);

  const started = performance.now();
  const job = await createImport(create, campaignId, csv);
  const createdMs = performance.now() - started;
  let last = job;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = (await create.jobs.get(job.jobId)) ?? last;
    if (last.state === 'done' || last.state === 'stopped') break;
  }
  const jobDoneMs = performance.now() - started;
  await emulator.drain();
  const allSentMs = performance.now() - started;
  clearInterval(sampler);

  const sent = [...ses.deliveries.values()].reduce((sum, n) => sum + n, 0);
  const duplicates = [...ses.deliveries.values()].filter((n) => n > 1).length;
  const expected = options.rows - bad;
  const sendSeconds = (ses.stats.lastSendAt - ses.stats.firstSendAt) / 1000;
  const result = {
    scenario: 'import',
    rows: options.rows,
    badRows: bad,
    state: last.state,
    invited: last.invited,
    rejected: last.rejected,
    invitationsSent: sent,
    duplicates,
    missing: expected - ses.deliveries.size,
    createSeconds: +(createdMs / 1000).toFixed(2),
    jobSeconds: +(jobDoneMs / 1000).toFixed(2),
    allSentSeconds: +(allSentMs / 1000).toFixed(2),
    rowsPerSecond: +(options.rows / (jobDoneMs / 1000)).toFixed(1),
    invitationsPerSecond: +(sent / Math.max(0.001, sendSeconds)).toFixed(1),
    targetRate: options.maxRate * options.share,
    sesThrottled: ses.stats.throttledByRate,
    secondsToFirstInvitation: +((ses.stats.firstSendAt - started) / 1000).toFixed(2),
    peakRssMb: +(peakRss / 2 ** 20).toFixed(1),
    peakHeapMb: +(peakHeap / 2 ** 20).toFixed(1),
    baselineRssMb: +(baseline.rss / 2 ** 20).toFixed(1),
  };

  sqs.destroy();
  dynamo.destroy();
  await emulator.close();
  await ses.close();
  await new Promise<void>((resolve) => db.close(() => resolve()));
  return result;
};

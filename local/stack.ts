import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import sesModule from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import { z } from 'zod';
import { createAdminStore } from '../functions/lib/adapters/dynamodb/admin-store';
import { parseAdminList } from '../functions/lib/admins/allow-list';
import { type AdminDirectory, createAdminDirectory } from '../functions/lib/admins/directory';
import { FUNCTION_CONFIG_SCHEMAS, variablesFor } from '../functions/lib/config';
import { SIGN_IN_CONSUMER } from '../functions/lib/console/sign-in-worker';
import { SEND_CONSUMER } from '../functions/lib/delivery/model';
import { InvalidEventError } from '../functions/lib/errors';
import { IMPORT_CONSUMER } from '../functions/lib/imports/records';
import { useClock } from '../functions/lib/root/clock';
import { CONFIRMATION_CONSUMER } from '../functions/lib/subscriptions/confirmation-request';
import { namedAdmin, withAdminAuthorizer } from './admin-identity';
import { DurableFile } from './aws/durable-file';
import { type Fired, functionArn, LocalAwsEmulator, queueArn } from './aws-emulator';
import { createLocalClock } from './clock';
import { LOCAL_FUNCTIONS, type LocalFunctionName, loadHandler } from './functions';
import {
  type LambdaHandler,
  lambdaContext,
  readRequestBody,
  toHttpApiEvent,
  writeHttpResult,
} from './lambda';
import { syncTemplates } from './ses-templates';
import { ensureTable } from './table';

export interface LocalStackOptions {
  /** HTTP API port (0 picks a free one). */
  port?: number;
  dynamodbPort?: number;
  sesPort?: number;
  /** Port of the local EventBridge Scheduler and SQS stand-ins. */
  awsPort?: number;
  /** Where persistent data and the admin token live. */
  dataDir?: string;
  /** Keep nothing on disk: DynamoDB, schedules, queues and the clock in memory. */
  inMemory?: boolean;
  adminToken?: string;
  /**
   * The local clock runs (from the time set, or real time) and schedules fire as it passes them. Off
   * in tests: the clock stands where it was set and schedules fire only when it is set.
   */
  realTimeScheduler?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface LocalStack {
  apiUrl: string;
  dynamodbEndpoint: string;
  sesEndpoint: string;
  awsEndpoint: string;
  adminToken: string;
  adminTokenSource: 'env' | 'file' | 'generated' | 'option';
  emulator: LocalAwsEmulator;
  templatesLoaded: number;
  /** Each function's environment (as the CDK app sets it in Lambda: its schema's variables); no secrets. */
  functionEnvs: Record<LocalFunctionName, Record<string, string>>;
  /** Sets the local time, fires what is due and drains the queues. */
  setClock(now: Date): Promise<Fired[]>;
  now(): Date;
  stop(): Promise<void>;
}

/** aws-ses-v2-local is CommonJS with `exports.default`; under ESM the default import is the exports object. */
const sesServer = (): typeof sesModule =>
  ((sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule) as typeof sesModule;

export const LOCAL_TABLE_NAME = 'esr-local';
export const LOCAL_TEMPLATE_PREFIX = '';
export const LOCAL_SENDER_EMAIL = 'reminders@localhost.test';
export const LOCAL_TOKEN_SECRET_NAME = 'esr-local/token-key';
/** API Gateway's HTTP API payload limit (an import file is the largest body; the functions set their own). */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/**
 * How long a received send message stays in flight, and how old a sender's claim must be before
 * another takes it over. As in AWS (360 s and 300 s), the claim ends before the message comes back,
 * so a message whose sender was killed is sent on its first return; both much shorter locally.
 */
const LOCAL_SEND_VISIBILITY_TIMEOUT_SECONDS = 36;
const LOCAL_CLAIM_TIMEOUT_SECONDS = 30;
/** How long an import worker holds its job without progress (150 s in AWS); the import queue's visibility timeout is 5 s longer. */
const LOCAL_IMPORT_LEASE_SECONDS = 10;

/** `/local/*` answers only to these Host headers: a DNS-rebinding page names its own host. */
const LOCAL_HOST = /^(127\.0\.0\.1|localhost)(:\d{1,5})?$/i;

const clockBody = z.object({
  now: z.iso.datetime({ offset: true, error: 'now must be an ISO 8601 date-time with Z or an offset' }),
});

/** Starts the whole service in this process: engines, stand-ins, the HTTP API. */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  // A copy: loading the functions takes their variables (ESR_ADMINS among them) out of process.env.
  const env = { ...(options.env ?? process.env) };
  const dataDir = resolve(options.dataDir ?? '.local');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const closers: (() => Promise<void>)[] = [];

  try {
    // DynamoDB: any compatible endpoint the developer names, else embedded dynalite.
    let dynamodbEndpoint = env.AWS_ENDPOINT_URL_DYNAMODB;
    if (!dynamodbEndpoint) {
      const server = dynalite(
        options.inMemory
          ? { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }
          : {
              path: join(dataDir, 'dynamodb'),
              createTableMs: 0,
              deleteTableMs: 0,
              updateTableMs: 0,
            },
      );
      dynamodbEndpoint = `http://127.0.0.1:${await listen(server, options.dynamodbPort ?? 8000)}`;
      closers.push(() => closeServer(server));
    }

    // SES v2: any compatible endpoint, else the embedded emulator with its inbox page.
    let sesEndpoint = env.AWS_ENDPOINT_URL_SESV2;
    if (!sesEndpoint) {
      const server = await sesServer()({ host: '127.0.0.1', port: options.sesPort ?? 8005 });
      sesEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      closers.push(() => closeServer(server));
    }

    // Schedules and queued messages are kept beside the DynamoDB data, so a restart loses no reminder.
    const emulator = new LocalAwsEmulator(
      { functions: new Map() },
      {
        onError: (what, error) => console.error(`[local] ${what} failed: ${(error as Error)?.name ?? error}`),
        ...(options.inMemory ? {} : { dataDir }),
      },
    );
    await emulator.listen(options.awsPort ?? 8010);
    closers.push(() => emulator.close());
    // Campaign schedules dead-letter here when dispatch keeps failing (the SQS DLQ in AWS).
    emulator.createQueue('schedule-dlq');

    // The HTTP server listens before the functions load, so their config can name its URL; until
    // every part is up it answers 503 at once rather than leave a request waiting.
    let deps: RequestDeps | undefined;
    const http = createServer((req, res) => {
      if (!deps) {
        res.writeHead(503, { ...LOCAL_HEADERS, 'retry-after': '1' });
        res.end(
          JSON.stringify({
            error: 'starting',
            message: 'The local stack is starting; try again in a moment.',
          }),
        );
        return;
      }
      handleRequest(req, res, deps).catch((error) => {
        console.error(`[local] request failed: ${(error as Error)?.name}`);
        if (!res.headersSent) res.writeHead(500, LOCAL_HEADERS);
        res.end(JSON.stringify({ error: 'internal' }));
      });
    });
    const port = await listen(http, options.port ?? 3000);
    const apiUrl = `http://127.0.0.1:${port}`;
    closers.push(() => closeServer(http));

    const { token: adminToken, source: adminTokenSource } = await resolveAdminToken(
      dataDir,
      options.adminToken,
      env,
    );

    // The token-signing key: generated once into the data folder, served by the Secrets Manager stand-in.
    const tokenSecretArn = emulator.putSecret(LOCAL_TOKEN_SECRET_NAME, await resolveTokenKey(dataDir));

    // The embedded SES emulator answers GetAccount from this: the send rate the sender paces itself to.
    if (!env.AWS_ENDPOINT_URL_SESV2)
      process.env.AWS_SES_ACCOUNT = localSesAccount(Number(env.LOCAL_SES_MAX_SEND_RATE ?? 50));
    emulator.createQueue('send-dlq');
    emulator.createQueue('confirmation-dlq');
    emulator.createQueue('console-sign-in-dlq');
    emulator.createQueue('import-dlq');

    // What Lambda itself gives every function (region, credentials; here the endpoints of the local
    // engines and stand-ins), and Powertools' settings; tracing is off outside Lambda.
    const platformEnv: Record<string, string> = {
      AWS_REGION: env.AWS_REGION ?? 'eu-west-2',
      AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
      AWS_ENDPOINT_URL_SESV2: sesEndpoint,
      AWS_ENDPOINT_URL_SCHEDULER: emulator.url,
      AWS_ENDPOINT_URL_SQS: emulator.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: emulator.url,
      POWERTOOLS_SERVICE_NAME: 'election-security-reminders',
      POWERTOOLS_TRACE_ENABLED: 'false',
    };
    // The stack's values; each function gets only those its config schema declares, as in the CDK app.
    const stackValues: Record<string, string> = {
      TOKEN_SECRET_ARN: tokenSecretArn,
      SENDER_EMAIL: env.SENDER_EMAIL ?? LOCAL_SENDER_EMAIL,
      SUBSCRIPTION_RETENTION_DAYS: env.SUBSCRIPTION_RETENTION_DAYS ?? '30',
      TABLE_NAME: env.TABLE_NAME ?? LOCAL_TABLE_NAME,
      PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? apiUrl,
      SES_TEMPLATE_PREFIX: LOCAL_TEMPLATE_PREFIX,
      // Campaign scheduling: the Scheduler stand-in invokes the local dispatch handler by this ARN.
      SCHEDULE_GROUP: 'esr-local',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/esr-local-scheduler',
      DISPATCH_FUNCTION_ARN: functionArn('dispatch'),
      SCHEDULE_DLQ_ARN: queueArn('schedule-dlq'),
      // Delivery: dispatch enqueues batches of ids here; the send function consumes them.
      SEND_QUEUE_URL: emulator.queueUrl('send'),
      SEND_CONCURRENCY: '2',
      // Locally a throttled batch comes back after 1 s, 2 s, 4 s… rather than 30 s, 60 s…
      SEND_RETRY_BASE_DELAY_SECONDS: env.SEND_RETRY_BASE_DELAY_SECONDS ?? '1',
      // Sign-ups: the API enqueues ids here; the confirmation-email function sends the email.
      CONFIRMATION_QUEUE_URL: emulator.queueUrl('confirmation'),
      CLAIM_TIMEOUT_SECONDS: env.CLAIM_TIMEOUT_SECONDS ?? String(LOCAL_CLAIM_TIMEOUT_SECONDS),
      // The console: its allow-list, and the queue its sign-in form puts address hashes on.
      ESR_ADMINS: env.ESR_ADMINS ?? '',
      SIGN_IN_QUEUE_URL: emulator.queueUrl('console-sign-in'),
      // Imports: the admin API queues job ids here; the import function invites at a share of the SES rate.
      IMPORT_QUEUE_URL: emulator.queueUrl('import'),
      IMPORT_LEASE_SECONDS: env.IMPORT_LEASE_SECONDS ?? String(LOCAL_IMPORT_LEASE_SECONDS),
    };
    const functionEnvs = Object.fromEntries(
      (Object.keys(LOCAL_FUNCTIONS) as LocalFunctionName[]).map((name) => [
        name,
        { ...platformEnv, ...variablesFor(FUNCTION_CONFIG_SCHEMAS[name], stackValues) },
      ]),
    ) as Record<LocalFunctionName, Record<string, string>>;
    Object.assign(process.env, platformEnv);

    const dynamodb = new DynamoDBClient({ endpoint: dynamodbEndpoint });
    await ensureTable(dynamodb, stackValues.TABLE_NAME as string);
    dynamodb.destroy();
    const ses = new SESv2Client({ endpoint: sesEndpoint });
    const templatesLoaded = await syncTemplates(ses, LOCAL_TEMPLATE_PREFIX);
    ses.destroy();

    // The stack's schedule group, as the CDK app creates it.
    emulator.createScheduleGroup(stackValues.SCHEDULE_GROUP as string);

    // The local clock, kept across restarts: it runs on from where it was set.
    const clockFile = new DurableFile<{ now: string; setAt: number }>(
      options.inMemory ? undefined : join(dataDir, 'clock.json'),
    );
    // It runs on from where it was set, as a real clock does, except in tests, where it stands still.
    const clockRuns = options.realTimeScheduler ?? true;
    const clock = createLocalClock(clockRuns);
    const keptClock = clockFile.read();
    if (keptClock) clock.set(new Date(keptClock.now), keptClock.setAt);
    // The handlers below run in this process: they read this clock instead of the real one.
    useClock(clock);
    closers.push(async () => useClock(undefined));

    const handlers = new Map<LocalFunctionName, LambdaHandler>();
    for (const name of Object.keys(LOCAL_FUNCTIONS) as LocalFunctionName[]) {
      // Each reads its config at module load: it sees only its own variables, then they are gone.
      handlers.set(name, await withVariables(functionEnvs[name], () => loadHandler(name)));
    }
    for (const [name, handler] of handlers) emulator.registerFunction(name, handler);
    // The send queue's event source mapping, as in AWS: partial batch failures, bounded concurrency.
    emulator.createQueue('send', {
      consumer: {
        functionName: 'send',
        handler: handlers.get('send') as LambdaHandler,
        batchSize: SEND_CONSUMER.batchSize,
        maxConcurrency: Number(stackValues.SEND_CONCURRENCY),
      },
      deadLetter: { queueName: 'send-dlq', maxReceiveCount: SEND_CONSUMER.maxReceiveCount },
      visibilityTimeoutMs:
        1000 * Number(env.LOCAL_SEND_VISIBILITY_TIMEOUT_SECONDS ?? LOCAL_SEND_VISIBILITY_TIMEOUT_SECONDS),
    });
    // The confirmation queue's event source mapping, as in AWS.
    emulator.createQueue('confirmation', {
      consumer: {
        functionName: 'confirmation-email',
        handler: handlers.get('confirmation-email') as LambdaHandler,
        batchSize: CONFIRMATION_CONSUMER.batchSize,
        maxConcurrency: CONFIRMATION_CONSUMER.maxConcurrency,
      },
      deadLetter: { queueName: 'confirmation-dlq', maxReceiveCount: CONFIRMATION_CONSUMER.maxReceiveCount },
      // The function's local timeout (30 s): a batch of ten still being sent must not come back and be
      // sent again (a message delivered again may send again). AWS: 180 s, six times the timeout.
      visibilityTimeoutMs: 1000 * Number(env.LOCAL_CONFIRMATION_VISIBILITY_TIMEOUT_SECONDS ?? 30),
    });

    // The import queue's event source mapping, as in AWS; a job's message comes back after a worker
    // dies once the worker's hold on the job has run out.
    emulator.createQueue('import', {
      consumer: {
        functionName: 'import',
        handler: handlers.get('import') as LambdaHandler,
        batchSize: IMPORT_CONSUMER.batchSize,
        maxConcurrency: IMPORT_CONSUMER.maxConcurrency,
      },
      deadLetter: { queueName: 'import-dlq', maxReceiveCount: IMPORT_CONSUMER.maxReceiveCount },
      visibilityTimeoutMs: 1000 * (Number(stackValues.IMPORT_LEASE_SECONDS) + 5),
    });

    // The console's sign-in queue, as in AWS: the worker emails links to allow-listed admins only.
    emulator.createQueue('console-sign-in', {
      consumer: {
        functionName: 'console-sign-in-email',
        handler: handlers.get('console-sign-in-email') as LambdaHandler,
        batchSize: SIGN_IN_CONSUMER.batchSize,
        maxConcurrency: SIGN_IN_CONSUMER.maxConcurrency,
      },
      deadLetter: { queueName: 'console-sign-in-dlq', maxReceiveCount: SIGN_IN_CONSUMER.maxReceiveCount },
      visibilityTimeoutMs: 1000,
    });

    const setClock = async (now: Date) => {
      const setAt = Date.now();
      clock.set(now, setAt);
      clockFile.write({ now: now.toISOString(), setAt });
      return emulator.fireDue(now);
    };
    const nowFn = () => clock.now();

    if (clockRuns) {
      // Schedules fire as the local clock (real time, or the time set, running on) passes them.
      let firing = false;
      const timer = setInterval(() => {
        if (firing) return;
        firing = true;
        emulator
          .fireDue(nowFn())
          .catch((error) => console.error(`[local] scheduler: ${(error as Error)?.name}`))
          .finally(() => {
            firing = false;
          });
      }, 1000);
      closers.push(async () => clearInterval(timer));
    }
    // X-Esr-Admin names an admin on the console's own allow-list: ESR_ADMINS and the stored admins.
    const adminDynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamodbEndpoint }));
    closers.push(async () => adminDynamo.destroy());
    const admins = createAdminDirectory(
      parseAdminList(env.ESR_ADMINS),
      createAdminStore(adminDynamo, stackValues.TABLE_NAME as string),
    );
    deps = { handlers, adminToken, admins, setClock, now: nowFn };

    return {
      apiUrl,
      dynamodbEndpoint,
      sesEndpoint,
      awsEndpoint: emulator.url,
      adminToken,
      adminTokenSource,
      emulator,
      templatesLoaded,
      functionEnvs,
      setClock,
      now: nowFn,
      stop: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
};

interface RequestDeps {
  handlers: Map<LocalFunctionName, LambdaHandler>;
  adminToken: string;
  /** ESR_ADMINS: who X-Esr-Admin may name, with their roles. */
  admins: Pick<AdminDirectory, 'find'>;
  setClock: (now: Date) => Promise<Fired[]>;
  now: () => Date;
}

const handleRequest = async (req: IncomingMessage, res: ServerResponse, deps: RequestDeps) => {
  const body = await readRequestBody(req, MAX_REQUEST_BYTES);
  if (body === undefined)
    return sendJson(res, 413, { error: 'payload_too_large', message: 'Request too large' });
  const path = new URL(req.url ?? '/', 'http://local').pathname;

  if (path.startsWith('/local/') && !LOCAL_HOST.test(req.headers.host ?? '')) {
    return sendJson(res, 403, {
      error: 'forbidden_host',
      message: 'The /local routes answer only to Host 127.0.0.1 or localhost.',
    });
  }
  if (path.startsWith('/local/') && req.method === 'POST' && !isJson(req)) {
    // A web page can POST text/plain across origins without a preflight; JSON it cannot.
    return sendJson(res, 415, { error: 'unsupported_media_type', message: 'Send application/json.' });
  }
  if (path === '/local/clock') return localClock(req, res, body, deps);
  if (path === '/local/ses-events') return localSesEvent(req, res, body, deps);

  const functionName: LocalFunctionName =
    path === '/admin' || path.startsWith('/admin/')
      ? 'admin-api'
      : path === '/console' || path.startsWith('/console/')
        ? 'console'
        : 'api';
  if (functionName === 'admin-api' && !bearerMatches(req.headers.authorization, deps.adminToken)) {
    // API Gateway's IAM authoriser answers 403 before the function runs; locally the bearer token stands in.
    res.setHeader('www-authenticate', 'Bearer');
    return sendJson(res, 401, { error: 'unauthorized', message: 'Send Authorization: Bearer <admin token>' });
  }
  let event = toHttpApiEvent(req, body);
  if (functionName === 'admin-api') {
    const header = req.headers['x-esr-admin'];
    const admin = await namedAdmin(header, deps.admins);
    if (header !== undefined && !admin) {
      return sendJson(res, 403, {
        error: 'forbidden',
        message:
          'X-Esr-Admin must name an admin on the allow-list (ESR_ADMINS email:role entries, or one added with esr admins add).',
      });
    }
    event = withAdminAuthorizer(event, admin);
  }
  const handler = deps.handlers.get(functionName);
  if (!handler) throw new Error(`No local handler ${functionName}`);
  const result = await handler(event, lambdaContext(functionName));
  writeHttpResult(res, result);
};

const localClock = async (req: IncomingMessage, res: ServerResponse, body: Buffer, deps: RequestDeps) => {
  if (req.method === 'GET') return sendJson(res, 200, { now: deps.now().toISOString() });
  if (req.method !== 'POST') return methodNotAllowed(res, ['GET', 'POST']);
  const input = jsonBody(res, body, '{}');
  if (!input) return;
  const parsed = clockBody.safeParse(input.value);
  if (!parsed.success) {
    return sendJson(res, 400, {
      error: 'validation',
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(body)',
        message: issue.message,
      })),
    });
  }
  const now = new Date(parsed.data.now);
  const fired = await deps.setClock(now);
  return sendJson(res, 200, { now: now.toISOString(), fired });
};

/** The SES account the embedded emulator reports: production access at a modest rate. */
export const localSesAccount = (maxSendRate: number) =>
  JSON.stringify({
    DedicatedIpAutoWarmupEnabled: false,
    Details: {
      AdditionalContactEmailAddresses: [],
      ContactLanguage: 'EN',
      MailType: 'TRANSACTIONAL',
      ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
      UseCaseDescription: 'Local development',
      WebsiteURL: 'http://127.0.0.1',
    },
    EnforcementStatus: 'HEALTHY',
    ProductionAccessEnabled: true,
    SendingEnabled: true,
    SendQuota: { Max24HourSend: 50_000, MaxSendRate: maxSendRate, SentLast24Hours: 0 },
    SuppressionAttributes: { SuppressedReasons: [] },
  });

/**
 * `POST /local/ses-events`: delivers an SES bounce or complaint event (EventBridge shape) to the
 * feedback function, as the configuration set's EventBridge destination would in AWS.
 */
const localSesEvent = async (req: IncomingMessage, res: ServerResponse, body: Buffer, deps: RequestDeps) => {
  if (req.method !== 'POST') return methodNotAllowed(res, ['POST']);
  const event = jsonBody(res, body);
  if (!event) return;
  const handler = deps.handlers.get('ses-events');
  if (!handler) throw new Error('No local ses-events handler');
  try {
    return sendJson(res, 200, await handler(event.value, lambdaContext('ses-events')));
  } catch (error) {
    if (error instanceof InvalidEventError)
      return sendJson(res, 400, { error: 'validation', issues: error.issues });
    throw error;
  }
};

/**
 * Runs `load` with exactly `variables` among the functions' config variables in process.env (the
 * handlers share this process), then takes them out again.
 */
const withVariables = async <T>(variables: Record<string, string>, load: () => Promise<T>): Promise<T> => {
  const configNames = new Set(
    Object.values(FUNCTION_CONFIG_SCHEMAS).flatMap((schema) => Object.keys(schema.shape)),
  );
  for (const name of configNames) delete process.env[name];
  Object.assign(process.env, variables);
  try {
    return await load();
  } finally {
    for (const name of configNames) delete process.env[name];
  }
};

const methodNotAllowed = (res: ServerResponse, allowed: string[]) => {
  res.setHeader('allow', allowed.join(', '));
  return sendJson(res, 405, { error: 'method_not_allowed', message: `Use ${allowed.join(' or ')}.` });
};

const isJson = (req: IncomingMessage) =>
  (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison of the presented bearer token with the admin token. */
const bearerMatches = (header: string | undefined, token: string): boolean => {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1].trim()), digest(token));
};

/** A secret kept in `file` (mode 0600): the stored one if it is long enough, else a new random one. */
const readOrCreateSecretFile = async (file: string, bytes: number, minLength = 1) => {
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= minLength) return { value: stored, created: false };
  } catch {
    // Nothing stored yet: generate one below.
  }
  const value = randomBytes(bytes).toString('base64url');
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
};

/**
 * The local token secret: 64 random characters kept in `<dataDir>/token-key`, so links in emails
 * keep working across restarts of a persistent local stack.
 */
const resolveTokenKey = async (dataDir: string): Promise<string> =>
  (await readOrCreateSecretFile(join(dataDir, 'token-key'), 48, 32)).value;

const resolveAdminToken = async (dataDir: string, option: string | undefined, env: NodeJS.ProcessEnv) => {
  if (option) return { token: option, source: 'option' as const };
  if (env.ESR_ADMIN_TOKEN) return { token: env.ESR_ADMIN_TOKEN, source: 'env' as const };
  const { value, created } = await readOrCreateSecretFile(join(dataDir, 'admin-token'), 32);
  return { token: value, source: created ? ('generated' as const) : ('file' as const) };
};

/** The request body as JSON, or undefined once a 400 has been answered. */
const jsonBody = (res: ServerResponse, body: Buffer, empty?: string): { value: unknown } | undefined => {
  try {
    return { value: JSON.parse(body.toString('utf8') || (empty ?? '')) };
  } catch {
    sendJson(res, 400, { error: 'malformed_body', message: 'The request body is not valid JSON.' });
    return undefined;
  }
};

/** The headers of the local stack's own answers (the functions' answers carry the same through middy). */
const LOCAL_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-xss-protection': '0',
};

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, LOCAL_HEADERS);
  res.end(JSON.stringify(body));
};

const listen = (server: Server, port: number): Promise<number> =>
  new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections?.();
  });

const closeAll = async (closers: (() => Promise<void>)[]) => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
};

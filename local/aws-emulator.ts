import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { functionArn, nameFromArn } from './aws/account';
import { AwsError } from './aws/errors';
import { type Fired, type LocalSchedule, SchedulerStandIn } from './aws/scheduler';
import { SecretsManagerStandIn } from './aws/secrets-manager';
import { type QueueMessage, type QueueOptions, SqsStandIn } from './aws/sqs';
import { type LambdaHandler, readRequestBody } from './lambda';

export { functionArn, queueArn, secretArn } from './aws/account';
export type { Fired, LocalSchedule } from './aws/scheduler';

/**
 * Local stand-ins for EventBridge Scheduler, SQS and Secrets Manager on one loopback port, each in
 * its own module under local/aws/. They speak the AWS wire protocols (Scheduler's REST-JSON, SQS's
 * and Secrets Manager's JSON), so the functions use their real AWS adapters unchanged, pointed here
 * by AWS_ENDPOINT_URL_SCHEDULER, AWS_ENDPOINT_URL_SQS and AWS_ENDPOINT_URL_SECRETS_MANAGER, and so
 * does the AWS CLI with --endpoint-url. They invoke the very handlers Lambda invokes, with the event
 * shapes AWS delivers. Given a data folder, schedules and messages are kept there across restarts.
 */

export interface LocalTargets {
  /** Lambda function ARN → handler, for schedule targets. */
  functions: Map<string, { functionName: string; handler: LambdaHandler }>;
}

export interface LocalAwsEmulatorOptions {
  onError?: (what: string, error: unknown) => void;
  /** Where schedules and queue messages are kept (nothing is kept without it). */
  dataDir?: string;
}

/** The largest request the stand-ins read: an SQS batch at its limit with room for JSON escaping. */
const MAX_REQUEST_BYTES = 1024 * 1024;

export class LocalAwsEmulator {
  private server?: Server;
  readonly scheduler: SchedulerStandIn;
  readonly sqs: SqsStandIn;
  readonly secretsManager = new SecretsManagerStandIn();
  private readonly fired: Fired[] = [];
  private readonly onError: (what: string, error: unknown) => void;

  constructor(
    private readonly targets: LocalTargets,
    options: LocalAwsEmulatorOptions = {},
  ) {
    const onError = options.onError ?? (() => undefined);
    this.onError = onError;
    const file = (name: string) => (options.dataDir ? join(options.dataDir, 'aws', name) : undefined);
    this.sqs = new SqsStandIn(() => this.url, onError, file('sqs.json'));
    this.scheduler = new SchedulerStandIn(
      {
        functionFor: (arn) => this.targets.functions.get(arn),
        deadLetter: (arn, body) => this.sqs.send(nameFromArn(arn), [body]),
      },
      onError,
      file('scheduler.json'),
    );
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('The local AWS emulator is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  queueUrl(name: string): string {
    return this.sqs.queueUrl(name);
  }

  createQueue(name: string, options: QueueOptions = {}): void {
    this.sqs.createQueue(name, options);
  }

  createScheduleGroup(name: string): void {
    this.scheduler.createGroup(name);
  }

  /** Messages in a queue, in flight or not (for tests and the DLQ view). */
  peek(name: string): readonly QueueMessage[] {
    return this.sqs.peek(name);
  }

  /** Stores a secret for the Secrets Manager stand-in; returns its ARN (what functions are given). */
  putSecret(name: string, value: string): string {
    return this.secretsManager.put(name, value);
  }

  /** Makes a Lambda handler reachable as a schedule target by its function ARN. */
  registerFunction(functionName: string, handler: LambdaHandler): void {
    this.targets.functions.set(functionArn(functionName), { functionName, handler });
  }

  listSchedules(): LocalSchedule[] {
    return this.scheduler.list();
  }

  async listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((error) => {
        this.onError('request', error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  }

  async close(): Promise<void> {
    this.sqs.stop();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Fires every schedule due at or before `now`, draining the queues after each, then once more. */
  async fireDue(now: Date): Promise<Fired[]> {
    const fired = await this.scheduler.fireDue(now, () => this.drain());
    this.fired.push(...fired);
    await this.drain();
    return fired;
  }

  /** Delivers queued messages to their consumers until every queue with a consumer is empty. */
  drain(): Promise<void> {
    return this.sqs.drain();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.headers['x-amz-target'];
    const service =
      typeof target === 'string' && target.startsWith('AmazonSQS.')
        ? 'sqs'
        : typeof target === 'string' && target.startsWith('secretsmanager.')
          ? 'secretsmanager'
          : 'scheduler';
    try {
      const body = await readRequestBody(req, MAX_REQUEST_BYTES);
      if (body === undefined) throw new AwsError('RequestEntityTooLarge', 413, 'Request too large.');
      const input = parseJson(body);
      const operation = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : '';
      if (service === 'sqs')
        return sendJson(res, 200, await this.sqs.handle(operation, input), 'application/x-amz-json-1.0');
      if (service === 'secretsmanager')
        return sendJson(res, 200, this.secretsManager.handle(operation, input), 'application/x-amz-json-1.1');
      const url = new URL(req.url ?? '/', 'http://local');
      return sendJson(res, 200, this.scheduler.handle(req.method ?? 'GET', url, input), 'application/json');
    } catch (error) {
      sendError(res, service, error instanceof AwsError ? error : internal(error));
    }
  }
}

const internal = (error: unknown) =>
  new AwsError('InternalServerException', 500, error instanceof Error ? error.message : String(error));

const parseJson = (body: Buffer): unknown => {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 400, 'The request body is not valid JSON.');
  }
};

const sendJson = (res: ServerResponse, status: number, body: unknown, contentType: string) => {
  res.writeHead(status, { 'content-type': contentType });
  res.end(JSON.stringify(body));
};

/**
 * Each protocol's error shape: Scheduler (REST-JSON) names the error in x-amzn-ErrorType with a
 * `Message`; SQS (JSON, query-compatible) gives `__type` with its namespace and the query error code
 * in x-amzn-query-error; Secrets Manager (JSON 1.1) gives `__type` and `message`.
 */
const sendError = (res: ServerResponse, service: 'sqs' | 'secretsmanager' | 'scheduler', error: AwsError) => {
  if (service === 'scheduler') {
    res.setHeader('x-amzn-errortype', error.code);
    return sendJson(res, error.status, { Message: error.message }, 'application/json');
  }
  if (service === 'sqs') {
    const fault = error.status >= 500 ? 'Receiver' : 'Sender';
    res.setHeader('x-amzn-query-error', `${error.queryCode ?? error.code};${fault}`);
    return sendJson(
      res,
      error.status,
      { __type: `com.amazonaws.sqs#${error.code}`, message: error.message },
      'application/x-amz-json-1.0',
    );
  }
  return sendJson(
    res,
    error.status,
    { __type: error.code, message: error.message },
    'application/x-amz-json-1.1',
  );
};

import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { DateTime } from 'luxon';
import { type LambdaHandler, lambdaContext, readRequestBody } from './lambda';

/**
 * Local stand-ins for EventBridge Scheduler and SQS. They speak the AWS wire protocols (Scheduler's
 * REST-JSON and SQS's JSON protocol) on one loopback port, so the functions use their real AWS
 * adapters unchanged, pointed here by AWS_ENDPOINT_URL_SCHEDULER and AWS_ENDPOINT_URL_SQS. They
 * invoke the very handlers Lambda invokes, with the event shapes AWS delivers:
 *  - a schedule target gets the schedule's Input as its event, retried per the RetryPolicy, then
 *    the Input goes to the dead-letter queue;
 *  - a queue's consumer gets SQS events in batches of up to 10, honours partial batch failures
 *    (batchItemFailures), and after maxReceiveCount receives moves a message to its DLQ.
 */

const LOCAL_ACCOUNT = '000000000000';
const LOCAL_REGION = 'eu-west-2';

export interface LocalSchedule {
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  State?: string;
  ActionAfterCompletion?: string;
  FlexibleTimeWindow?: { Mode: string };
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    DeadLetterConfig?: { Arn?: string };
  };
  CreationDate: number;
}

export interface Fired {
  schedule: string;
  group: string;
  target: string;
  at: string;
  outcome: 'succeeded' | 'dead-lettered';
}

interface QueueMessage {
  MessageId: string;
  Body: string;
  ReceiveCount: number;
  /** Epoch ms from which a consumer may receive it (DelaySeconds, visibility timeout). */
  visibleAt: number;
}

interface LocalQueue {
  name: string;
  messages: QueueMessage[];
  consumer?: { handler: LambdaHandler; functionName: string; batchSize: number; maxConcurrency?: number };
  deadLetter?: { queueName: string; maxReceiveCount: number };
  /** How long a failed message stays invisible before it is received again. */
  visibilityTimeoutMs?: number;
}

export interface LocalTargets {
  /** Lambda function ARN → handler, for schedule targets. */
  functions: Map<string, { functionName: string; handler: LambdaHandler }>;
}

class AwsError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const queueArn = (name: string) => `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
/** Real secret ARNs end in a random 6-character suffix; the stand-in's is fixed. */
export const secretArn = (name: string) =>
  `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}-local0`;
export const functionArn = (name: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;

export class LocalAwsEmulator {
  private server?: Server;
  private readonly schedules = new Map<string, LocalSchedule>();
  private readonly queues = new Map<string, LocalQueue>();
  /** Secrets Manager stand-in: secret name → value (read-only: GetSecretValue). */
  private readonly secrets = new Map<string, string>();
  private draining?: Promise<void>;
  private readonly fired: Fired[] = [];
  private readonly onError: (what: string, error: unknown) => void;

  constructor(
    private readonly targets: LocalTargets,
    options: { onError?: (what: string, error: unknown) => void } = {},
  ) {
    this.onError = options.onError ?? (() => undefined);
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('The local AWS emulator is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  queueUrl(name: string): string {
    return `${this.url}/${LOCAL_ACCOUNT}/${name}`;
  }

  createQueue(name: string, options: Omit<LocalQueue, 'name' | 'messages'> = {}): void {
    this.queues.set(name, { name, messages: [], ...options });
  }

  /** Messages waiting in a queue (for tests and the DLQ view). */
  peek(name: string): readonly QueueMessage[] {
    return this.queues.get(name)?.messages ?? [];
  }

  /** Stores a secret for the Secrets Manager stand-in; returns its ARN (what functions are given). */
  putSecret(name: string, value: string): string {
    this.secrets.set(name, value);
    return secretArn(name);
  }

  /** Makes a Lambda handler reachable as a schedule target by its function ARN. */
  registerFunction(functionName: string, handler: LambdaHandler): void {
    this.targets.functions.set(functionArn(functionName), { functionName, handler });
  }

  listSchedules(): LocalSchedule[] {
    return [...this.schedules.values()];
  }

  async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error) => this.onError('request', error));
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Fires every schedule due at or before `now`, then drains the queues. Returns what fired. */
  async fireDue(now: Date): Promise<Fired[]> {
    const due = [...this.schedules.values()]
      .filter((schedule) => schedule.State !== 'DISABLED')
      .map((schedule) => ({ schedule, at: scheduledInstant(schedule) }))
      .filter(
        (entry): entry is { schedule: LocalSchedule; at: Date } => entry.at !== undefined && entry.at <= now,
      )
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    const fired: Fired[] = [];
    for (const { schedule, at } of due) {
      // One-time schedules fire once: remove (or, without DELETE, disable) before invoking.
      if (schedule.ActionAfterCompletion === 'DELETE')
        this.schedules.delete(keyOf(schedule.GroupName, schedule.Name));
      else schedule.State = 'DISABLED';
      fired.push(await this.invokeTarget(schedule, at));
      await this.drain();
    }
    this.fired.push(...fired);
    await this.drain();
    return fired;
  }

  private async invokeTarget(schedule: LocalSchedule, at: Date): Promise<Fired> {
    const target = this.targets.functions.get(schedule.Target.Arn);
    const base = {
      schedule: schedule.Name,
      group: schedule.GroupName,
      target: schedule.Target.Arn,
      at: at.toISOString(),
    };
    const attempts = 1 + (schedule.Target.RetryPolicy?.MaximumRetryAttempts ?? 185);
    const event = schedule.Target.Input ? JSON.parse(schedule.Target.Input) : {};
    for (let attempt = 1; target && attempt <= Math.min(attempts, 3); attempt++) {
      try {
        await target.handler(event, lambdaContext(target.functionName));
        return { ...base, outcome: 'succeeded' };
      } catch (error) {
        this.onError(`schedule ${schedule.Name} attempt ${attempt}`, error);
      }
    }
    const dlq = schedule.Target.DeadLetterConfig?.Arn;
    if (dlq) this.enqueue(nameFromArn(dlq), [{ Body: schedule.Target.Input ?? '{}' }]);
    return { ...base, outcome: 'dead-lettered' };
  }

  /**
   * Delivers queued messages to their consumers until every queue with a consumer is empty, running
   * up to each consumer's maxConcurrency batches at once (as an event source mapping's maximum
   * concurrency does) and waiting out delays and visibility timeouts.
   */
  async drain(): Promise<void> {
    while (this.draining) await this.draining;
    this.draining = this.drainOnce().finally(() => {
      this.draining = undefined;
    });
    await this.draining;
  }

  private async drainOnce(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const running = new Map<string, number>();
    for (;;) {
      let started = false;
      for (const queue of this.queues.values()) {
        const consumer = queue.consumer;
        if (!consumer) continue;
        while ((running.get(queue.name) ?? 0) < (consumer.maxConcurrency ?? 1)) {
          const batch = takeVisible(queue, consumer.batchSize, Date.now());
          if (batch.length === 0) break;
          started = true;
          running.set(queue.name, (running.get(queue.name) ?? 0) + 1);
          const work: Promise<void> = this.process(queue, batch).finally(() => {
            running.set(queue.name, (running.get(queue.name) ?? 1) - 1);
            inFlight.delete(work);
          });
          inFlight.add(work);
        }
      }
      if (started) continue;
      if (inFlight.size > 0) {
        await Promise.race(inFlight);
        continue;
      }
      const waiting = [...this.queues.values()]
        .filter((queue) => queue.consumer)
        .flatMap((queue) => queue.messages.map((message) => message.visibleAt));
      if (waiting.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(...waiting) - Date.now())));
    }
  }

  private async process(queue: LocalQueue, batch: QueueMessage[]): Promise<void> {
    for (const message of batch) message.ReceiveCount += 1;
    const failed = await this.deliver(queue, batch);
    for (const message of batch.filter((m) => failed.has(m.MessageId))) {
      if (queue.deadLetter && message.ReceiveCount >= queue.deadLetter.maxReceiveCount) {
        this.enqueue(queue.deadLetter.queueName, [{ Body: message.Body }]);
      } else {
        message.visibleAt = Date.now() + (queue.visibilityTimeoutMs ?? 0);
        queue.messages.push(message);
      }
    }
  }

  private async deliver(queue: LocalQueue, batch: QueueMessage[]): Promise<Set<string>> {
    const consumer = queue.consumer;
    if (!consumer) return new Set();
    const event: SQSEvent = { Records: batch.map((message) => toSqsRecord(queue.name, message)) };
    try {
      const result = (await consumer.handler(event, lambdaContext(consumer.functionName))) as
        | { batchItemFailures?: { itemIdentifier: string }[] }
        | undefined;
      return new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.onError(`queue ${queue.name}`, error);
      return new Set(batch.map((message) => message.MessageId));
    }
  }

  private enqueue(queueName: string, entries: { Body: string; DelaySeconds?: number }[]) {
    const queue = this.queues.get(queueName);
    if (!queue)
      throw new AwsError('QueueDoesNotExist', 400, `The specified queue ${queueName} does not exist.`);
    const now = Date.now();
    const ids = entries.map((entry) => {
      const MessageId = randomUUID();
      const visibleAt = now + (entry.DelaySeconds ?? 0) * 1000;
      queue.messages.push({ MessageId, Body: entry.Body, ReceiveCount: 0, visibleAt });
      return MessageId;
    });
    // Deliver soon, as SQS would; tests and the clock await drain() explicitly.
    if (queue.consumer) setImmediate(() => this.drain().catch((error) => this.onError('drain', error)));
    return ids;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readRequestBody(req, 1024 * 1024)) ?? Buffer.alloc(0);
    const url = new URL(req.url ?? '/', 'http://local');
    try {
      const target = req.headers['x-amz-target'];
      if (req.method === 'POST' && typeof target === 'string' && target.startsWith('AmazonSQS.')) {
        return send(
          res,
          200,
          this.sqs(target.slice('AmazonSQS.'.length), JSON.parse(body.toString() || '{}')),
        );
      }
      if (req.method === 'POST' && typeof target === 'string' && target.startsWith('secretsmanager.')) {
        return send(
          res,
          200,
          this.secretsManager(target.slice('secretsmanager.'.length), JSON.parse(body.toString() || '{}')),
        );
      }
      const match = url.pathname.match(/^\/schedules\/([^/]+)$/);
      if (match?.[1]) {
        const name = decodeURIComponent(match[1]);
        const input = body.length > 0 ? JSON.parse(body.toString()) : {};
        const group = url.searchParams.get('groupName') ?? input.GroupName ?? 'default';
        return send(res, 200, this.scheduler(req.method ?? 'GET', name, group, input));
      }
      throw new AwsError(
        'UnknownOperationException',
        404,
        `No local operation for ${req.method} ${url.pathname}`,
      );
    } catch (error) {
      const awsError =
        error instanceof AwsError
          ? error
          : new AwsError('InternalServerException', 500, String((error as Error).message));
      res.setHeader('x-amzn-errortype', awsError.type);
      send(res, awsError.status, { __type: awsError.type, message: awsError.message });
    }
  }

  private scheduler(method: string, name: string, group: string, input: Record<string, unknown>) {
    const key = keyOf(group, name);
    const arn = `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule/${group}/${name}`;
    const existing = this.schedules.get(key);
    switch (method) {
      case 'POST':
        if (existing) throw new AwsError('ConflictException', 409, `Schedule ${name} already exists.`);
        this.schedules.set(key, {
          ...(input as unknown as LocalSchedule),
          Name: name,
          GroupName: group,
          CreationDate: Date.now() / 1000,
        });
        return { ScheduleArn: arn };
      case 'PUT':
        if (!existing)
          throw new AwsError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
        this.schedules.set(key, {
          ...(input as unknown as LocalSchedule),
          Name: name,
          GroupName: group,
          CreationDate: existing.CreationDate,
        });
        return { ScheduleArn: arn };
      case 'GET':
        if (!existing)
          throw new AwsError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
        return { ...existing, Arn: arn };
      case 'DELETE':
        if (!existing)
          throw new AwsError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
        this.schedules.delete(key);
        return {};
      default:
        throw new AwsError('ValidationException', 400, `Unsupported method ${method}`);
    }
  }

  /** Secrets Manager's JSON protocol, GetSecretValue only, by name or ARN. */
  private secretsManager(operation: string, input: Record<string, unknown>) {
    if (operation !== 'GetSecretValue') {
      throw new AwsError(
        'UnsupportedOperation',
        400,
        `The local Secrets Manager does not support ${operation}.`,
      );
    }
    const id = String(input.SecretId ?? '');
    const name = [...this.secrets.keys()].find(
      (candidate) => candidate === id || secretArn(candidate) === id,
    );
    if (name === undefined) {
      throw new AwsError(
        'ResourceNotFoundException',
        400,
        "Secrets Manager can't find the specified secret.",
      );
    }
    return {
      ARN: secretArn(name),
      Name: name,
      SecretString: this.secrets.get(name),
      VersionId: 'local',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 0,
    };
  }

  private sqs(operation: string, input: Record<string, unknown>) {
    const queueName =
      String(input.QueueUrl ?? '')
        .split('/')
        .pop() ?? '';
    switch (operation) {
      case 'SendMessage': {
        const body = String(input.MessageBody);
        const [MessageId] = this.enqueue(queueName, [
          { Body: body, DelaySeconds: Number(input.DelaySeconds ?? 0) },
        ]);
        return { MessageId, MD5OfMessageBody: md5(body) };
      }
      case 'SendMessageBatch': {
        const entries = (input.Entries ?? []) as { Id: string; MessageBody: string; DelaySeconds?: number }[];
        if (entries.length === 0 || entries.length > 10) {
          throw new AwsError(
            'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
            400,
            'A batch holds 1 to 10 entries.',
          );
        }
        const ids = this.enqueue(
          queueName,
          entries.map((entry) => ({ Body: entry.MessageBody, DelaySeconds: entry.DelaySeconds })),
        );
        return {
          Successful: entries.map((entry, i) => ({
            Id: entry.Id,
            MessageId: ids[i],
            MD5OfMessageBody: md5(entry.MessageBody),
          })),
          Failed: [],
        };
      }
      case 'GetQueueAttributes': {
        const queue = this.queues.get(queueName);
        if (!queue)
          throw new AwsError('QueueDoesNotExist', 400, `The specified queue ${queueName} does not exist.`);
        return { Attributes: { ApproximateNumberOfMessages: String(queue.messages.length) } };
      }
      default:
        throw new AwsError('UnsupportedOperation', 400, `The local SQS does not support ${operation}.`);
    }
  }
}

const keyOf = (group: string, name: string) => `${group}/${name}`;

/** Removes and returns up to `max` messages that are visible at `now`, oldest first. */
const takeVisible = (queue: LocalQueue, max: number, now: number): QueueMessage[] => {
  const taken: QueueMessage[] = [];
  for (let i = 0; i < queue.messages.length && taken.length < max; ) {
    const message = queue.messages[i] as QueueMessage;
    if (message.visibleAt <= now) {
      taken.push(message);
      queue.messages.splice(i, 1);
    } else {
      i++;
    }
  }
  return taken;
};
const nameFromArn = (arn: string) => arn.split(':').pop() ?? arn;
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};

const toSqsRecord = (queueName: string, message: QueueMessage): SQSRecord => ({
  messageId: message.MessageId,
  receiptHandle: `${message.MessageId}#${message.ReceiveCount}`,
  body: message.Body,
  attributes: {
    ApproximateReceiveCount: String(message.ReceiveCount),
    SentTimestamp: String(Date.now()),
    SenderId: LOCAL_ACCOUNT,
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: md5(message.Body),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn(queueName),
  awsRegion: LOCAL_REGION,
});

/** The instant a one-time `at(...)` schedule is due, in its ScheduleExpressionTimezone (UTC if none). */
const scheduledInstant = (
  schedule: Pick<LocalSchedule, 'ScheduleExpression' | 'ScheduleExpressionTimezone'>,
) => {
  const match = schedule.ScheduleExpression.match(/^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/);
  if (!match?.[1]) return undefined;
  const local = DateTime.fromISO(match[1], { zone: schedule.ScheduleExpressionTimezone ?? 'UTC' });
  return local.isValid ? local.toJSDate() : undefined;
};

import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { type LambdaHandler, lambdaContext } from '../lambda';
import { LOCAL_ACCOUNT, LOCAL_REGION, queueArn } from './account';
import { DurableFile } from './durable-file';
import { AwsError } from './errors';

/**
 * The SQS stand-in: SQS's JSON protocol, with SQS's rules. A received message stays in the queue,
 * in flight, until it is deleted; unless deleted it comes back when its visibility timeout ends,
 * with its receive count; a receive that would take it past the redrive policy's maxReceiveCount
 * moves it to the dead-letter queue instead. A queue may have a consumer, as a Lambda event source
 * mapping: batches of up to batchSize, at most maxConcurrency at once, partial batch failures
 * (batchItemFailures) left to come back. Messages are kept in a file when given one, so a restart
 * (even after `kill -9`) finds every message it acknowledged, in flight or not.
 */

/** SQS's defaults and limits (the queue's MaximumMessageSize left at its default). */
const DEFAULT_VISIBILITY_TIMEOUT_MS = 30_000;
const MAX_DELAY_SECONDS = 900;
const MAX_MESSAGE_BYTES = 262_144;
const MAX_BATCH_ENTRIES = 10;

export interface QueueConsumer {
  handler: LambdaHandler;
  functionName: string;
  batchSize: number;
  maxConcurrency?: number;
}

export interface QueueOptions {
  consumer?: QueueConsumer;
  deadLetter?: { queueName: string; maxReceiveCount: number };
  /** How long a received message stays in flight before it comes back (VisibilityTimeout; SQS's default 30 s). */
  visibilityTimeoutMs?: number;
}

export interface QueueMessage {
  MessageId: string;
  Body: string;
  MD5OfBody: string;
  ReceiveCount: number;
  SentTimestamp: number;
  FirstReceiveTimestamp?: number;
  /** The handle of the latest receive; a DeleteMessage names it. */
  ReceiptHandle?: string;
  /** Epoch ms from which the message may be received (DelaySeconds, then the visibility timeout). */
  visibleAt: number;
}

interface Queue extends QueueOptions {
  name: string;
  createdAt: number;
  messages: QueueMessage[];
}

interface StoredQueues {
  queues: { name: string; createdAt: number; messages: QueueMessage[] }[];
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

const invalid = (message: string) =>
  new AwsError('InvalidParameterValue', 400, message, 'InvalidParameterValue');
const queueError = (code: string, message: string) =>
  new AwsError(code, 400, message, `AWS.SimpleQueueService.${code}`);
const nonExistent = () =>
  new AwsError(
    'QueueDoesNotExist',
    400,
    'The specified queue does not exist.',
    'AWS.SimpleQueueService.NonExistentQueue',
  );

/** Parses an operation's input; a member of the wrong type is SQS's InvalidParameterValue. */
const parse = <T extends z.ZodType>(schema: T, input: unknown): z.infer<T> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw invalid(
    `Value for parameter ${issue?.path.join('.') || 'input'} is invalid. Reason: ${issue?.message}.`,
  );
};

const delaySeconds = z
  .number()
  .int()
  .min(0, `must be >= 0 and <= ${MAX_DELAY_SECONDS}`)
  .max(MAX_DELAY_SECONDS, `must be >= 0 and <= ${MAX_DELAY_SECONDS}`)
  .optional();
const queueUrlInput = z.looseObject({ QueueUrl: z.string().min(1) });
const sendMessageInput = queueUrlInput.extend({ MessageBody: z.string(), DelaySeconds: delaySeconds });
const sendMessageBatchInput = queueUrlInput.extend({
  Entries: z.array(z.looseObject({ Id: z.string(), MessageBody: z.string(), DelaySeconds: delaySeconds })),
});
const receiveMessageInput = queueUrlInput.extend({
  MaxNumberOfMessages: z.number().int().min(1).max(10).optional(),
  VisibilityTimeout: z.number().int().min(0).max(43_200).optional(),
  WaitTimeSeconds: z.number().int().min(0).max(20).optional(),
});
const deleteMessageInput = queueUrlInput.extend({ ReceiptHandle: z.string().min(1) });
const getQueueUrlInput = z.looseObject({ QueueName: z.string().min(1) });
const listQueuesInput = z.looseObject({
  QueueNamePrefix: z.string().optional(),
  MaxResults: z.number().int().min(1).max(1000).optional(),
});
const getQueueAttributesInput = queueUrlInput.extend({ AttributeNames: z.array(z.string()).optional() });

/** SQS takes XML 1.0's characters only. */
const INVALID_CHARACTERS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const checkBody = (body: string) => {
  if (body.length === 0) throw invalid('The request must contain the parameter MessageBody.');
  if (bytes(body) > MAX_MESSAGE_BYTES) {
    throw invalid(
      `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
    );
  }
  if (INVALID_CHARACTERS.test(body)) {
    throw queueError('InvalidMessageContents', 'Invalid characters found in the message body.');
  }
};

export class SqsStandIn {
  private readonly queues = new Map<string, Queue>();
  private draining?: Promise<void>;
  /** Wakes a drain that waits for batches in flight: a message was sent to a queue with a consumer. */
  private wake?: () => void;
  private stopped = false;
  private readonly file: DurableFile<StoredQueues>;

  constructor(
    private readonly baseUrl: () => string,
    private readonly onError: (what: string, error: unknown) => void,
    file?: string,
  ) {
    this.file = new DurableFile(file);
    for (const stored of this.file.read()?.queues ?? []) this.queues.set(stored.name, { ...stored });
  }

  queueUrl(name: string): string {
    return `${this.baseUrl()}/${LOCAL_ACCOUNT}/${name}`;
  }

  /** Creates a queue, or gives a kept one (with its messages) its consumer and redrive policy again. */
  createQueue(name: string, options: QueueOptions = {}): void {
    const kept = this.queues.get(name);
    this.queues.set(name, {
      name,
      createdAt: kept?.createdAt ?? Date.now(),
      messages: kept?.messages ?? [],
      ...options,
    });
    this.save();
    if (options.consumer && (kept?.messages.length ?? 0) > 0) this.drainSoon();
  }

  /** Messages in a queue, in flight or not (for tests and the DLQ view). */
  peek(name: string): readonly QueueMessage[] {
    return this.queues.get(name)?.messages ?? [];
  }

  async handle(operation: string, input: unknown): Promise<unknown> {
    switch (operation) {
      case 'SendMessage': {
        const request = parse(sendMessageInput, input);
        checkBody(request.MessageBody);
        const [message] = this.enqueue(this.queueOf(request.QueueUrl), [request]);
        return { MessageId: message?.MessageId, MD5OfMessageBody: message?.MD5OfBody };
      }
      case 'SendMessageBatch': {
        const request = parse(sendMessageBatchInput, input);
        const queue = this.queueOf(request.QueueUrl);
        const entries = request.Entries;
        if (entries.length === 0) {
          throw queueError(
            'EmptyBatchRequest',
            'There should be at least one SendMessageBatchRequestEntry in the request.',
          );
        }
        if (entries.length > MAX_BATCH_ENTRIES) {
          throw queueError(
            'TooManyEntriesInBatchRequest',
            `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
          );
        }
        const badId = entries.find((entry) => !/^[A-Za-z0-9_-]{1,80}$/.test(entry.Id));
        if (badId) {
          throw queueError(
            'InvalidBatchEntryId',
            'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
          );
        }
        const ids = new Set(entries.map((entry) => entry.Id));
        if (ids.size !== entries.length) {
          throw queueError(
            'BatchEntryIdsNotDistinct',
            'Two or more batch entries in the request have the same Id.',
          );
        }
        const total = entries.reduce((sum, entry) => sum + bytes(entry.MessageBody), 0);
        if (total > MAX_MESSAGE_BYTES) {
          throw queueError(
            'BatchRequestTooLong',
            `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes. You have sent ${total} bytes.`,
          );
        }
        for (const entry of entries) checkBody(entry.MessageBody);
        const messages = this.enqueue(queue, entries);
        return {
          Successful: entries.map((entry, i) => ({
            Id: entry.Id,
            MessageId: messages[i]?.MessageId,
            MD5OfMessageBody: messages[i]?.MD5OfBody,
          })),
          Failed: [],
        };
      }
      case 'ReceiveMessage': {
        const request = parse(receiveMessageInput, input);
        const queue = this.queueOf(request.QueueUrl);
        const visibilityMs =
          request.VisibilityTimeout === undefined
            ? this.visibilityOf(queue)
            : request.VisibilityTimeout * 1000;
        // Long polling: wait up to WaitTimeSeconds for a message to become visible.
        const until = Date.now() + (request.WaitTimeSeconds ?? 0) * 1000;
        let received = this.receive(queue, request.MaxNumberOfMessages ?? 1, visibilityMs);
        while (received.length === 0 && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(200, until - Date.now())));
          received = this.receive(queue, request.MaxNumberOfMessages ?? 1, visibilityMs);
        }
        return {
          Messages: received.map((message) => ({
            MessageId: message.MessageId,
            ReceiptHandle: message.ReceiptHandle,
            MD5OfBody: message.MD5OfBody,
            Body: message.Body,
            Attributes: systemAttributes(message),
          })),
        };
      }
      case 'DeleteMessage': {
        const request = parse(deleteMessageInput, input);
        const queue = this.queueOf(request.QueueUrl);
        if (request.ReceiptHandle.split('#').length !== 3) {
          throw queueError(
            'ReceiptHandleIsInvalid',
            `The input receipt handle "${request.ReceiptHandle}" is not a valid receipt handle.`,
          );
        }
        // As in SQS, deleting a message already gone, or received again since (an old handle), succeeds
        // and changes nothing.
        this.remove(queue, new Set([request.ReceiptHandle]));
        return {};
      }
      case 'GetQueueUrl': {
        const request = parse(getQueueUrlInput, input);
        if (!this.queues.has(request.QueueName)) throw nonExistent();
        return { QueueUrl: this.queueUrl(request.QueueName) };
      }
      case 'ListQueues': {
        const request = parse(listQueuesInput, input);
        const names = [...this.queues.keys()]
          .filter((name) => name.startsWith(request.QueueNamePrefix ?? ''))
          .sort()
          .slice(0, request.MaxResults ?? 1000);
        return { QueueUrls: names.map((name) => this.queueUrl(name)) };
      }
      case 'GetQueueAttributes': {
        const request = parse(getQueueAttributesInput, input);
        const attributes = this.attributesOf(this.queueOf(request.QueueUrl));
        const wanted = request.AttributeNames ?? [];
        if (wanted.includes('All')) return { Attributes: attributes };
        const unknown = wanted.find((name) => !(name in attributes));
        if (unknown)
          throw new AwsError(
            'InvalidAttributeName',
            400,
            `Unknown Attribute ${unknown}.`,
            'InvalidAttributeName',
          );
        return { Attributes: Object.fromEntries(wanted.map((name) => [name, attributes[name]])) };
      }
      default:
        throw queueError('UnsupportedOperation', `The local SQS stand-in does not support ${operation}.`);
    }
  }

  /** Puts messages on a queue by name (a schedule's dead-letter queue, for instance). */
  send(queueName: string, bodies: string[]): void {
    const queue = this.queues.get(queueName);
    if (!queue) throw nonExistent();
    this.enqueue(
      queue,
      bodies.map((MessageBody) => ({ MessageBody })),
    );
  }

  /**
   * Delivers messages to their consumers until every queue with a consumer is empty, running up to
   * each consumer's maxConcurrency batches at once and waiting out delays and visibility timeouts.
   */
  async drain(): Promise<void> {
    while (this.draining) await this.draining;
    this.draining = this.drainOnce().finally(() => {
      this.draining = undefined;
    });
    await this.draining;
  }

  /** Stops delivering to consumers (the stack is stopping); what is kept stays for the next start. */
  stop(): void {
    this.stopped = true;
  }

  private drainSoon() {
    if (this.stopped) return;
    setImmediate(() => this.drain().catch((error) => this.onError('drain', error)));
  }

  private async drainOnce(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    const running = new Map<string, number>();
    while (!this.stopped) {
      let started = false;
      for (const queue of this.queues.values()) {
        const consumer = queue.consumer;
        if (!consumer) continue;
        while ((running.get(queue.name) ?? 0) < (consumer.maxConcurrency ?? 1)) {
          const batch = this.receive(queue, consumer.batchSize, this.visibilityOf(queue));
          if (batch.length === 0) break;
          started = true;
          running.set(queue.name, (running.get(queue.name) ?? 0) + 1);
          const work: Promise<void> = this.process(queue, consumer, batch).finally(() => {
            running.set(queue.name, (running.get(queue.name) ?? 1) - 1);
            inFlight.delete(work);
          });
          inFlight.add(work);
        }
      }
      if (started) continue;
      let nextVisible = Number.POSITIVE_INFINITY;
      for (const queue of this.queues.values()) {
        if (!queue.consumer) continue;
        for (const message of queue.messages) nextVisible = Math.min(nextVisible, message.visibleAt);
      }
      if (inFlight.size === 0 && nextVisible === Number.POSITIVE_INFINITY) return;
      // As each event source mapping polls its own queue: a long batch in flight on one queue does not
      // hold back a message sent to another (or one whose delay ends) meanwhile.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        ...inFlight,
        new Promise<void>((resolve) => {
          this.wake = resolve;
        }),
        ...(nextVisible === Number.POSITIVE_INFINITY
          ? []
          : [
              new Promise<void>((resolve) => {
                timer = setTimeout(resolve, Math.max(0, nextVisible - Date.now()));
              }),
            ]),
      ]);
      clearTimeout(timer);
      this.wake = undefined;
    }
  }

  /** The event source mapping: deletes what the consumer handled, leaves the failures to come back. */
  private async process(queue: Queue, consumer: QueueConsumer, batch: QueueMessage[]): Promise<void> {
    const event: SQSEvent = { Records: batch.map((message) => toSqsRecord(queue.name, message)) };
    let failed: Set<string>;
    try {
      const result = (await consumer.handler(event, lambdaContext(consumer.functionName))) as
        | { batchItemFailures?: { itemIdentifier: string }[] }
        | undefined;
      failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.onError(`queue ${queue.name}`, error);
      failed = new Set(batch.map((message) => message.MessageId));
    }
    const handled = event.Records.filter((record) => !failed.has(record.messageId));
    this.remove(queue, new Set(handled.map((record) => record.receiptHandle)));
  }

  /**
   * Receives up to `max` visible messages, oldest first: each goes in flight for `visibilityMs`
   * with its receive count raised, or to the dead-letter queue if it has been received
   * maxReceiveCount times already.
   */
  private receive(queue: Queue, max: number, visibilityMs: number): QueueMessage[] {
    const now = Date.now();
    const taken: QueueMessage[] = [];
    const deadLettered: QueueMessage[] = [];
    for (const message of queue.messages) {
      if (taken.length >= max) break;
      if (message.visibleAt > now) continue;
      if (queue.deadLetter && message.ReceiveCount >= queue.deadLetter.maxReceiveCount) {
        deadLettered.push(message);
        continue;
      }
      message.ReceiveCount += 1;
      message.FirstReceiveTimestamp ??= now;
      message.ReceiptHandle = `${message.MessageId}#${message.ReceiveCount}#${randomUUID()}`;
      message.visibleAt = now + visibilityMs;
      taken.push(message);
    }
    if (deadLettered.length > 0 && queue.deadLetter) {
      const target = this.queues.get(queue.deadLetter.queueName);
      queue.messages = queue.messages.filter((message) => !deadLettered.includes(message));
      // The message keeps its id and body; its receive count starts again in the dead-letter queue.
      target?.messages.push(
        ...deadLettered.map((message) => ({
          ...message,
          ReceiveCount: 0,
          ReceiptHandle: undefined,
          visibleAt: now,
        })),
      );
    }
    if (taken.length > 0 || deadLettered.length > 0) this.save();
    return taken;
  }

  /** Deletes messages by their latest receipt handle: one received again since stays. */
  private remove(queue: Queue, receiptHandles: Set<string>) {
    const before = queue.messages.length;
    queue.messages = queue.messages.filter(
      (message) => message.ReceiptHandle === undefined || !receiptHandles.has(message.ReceiptHandle),
    );
    if (queue.messages.length !== before) this.save();
  }

  private enqueue(queue: Queue, entries: { MessageBody: string; DelaySeconds?: number }[]): QueueMessage[] {
    const now = Date.now();
    const messages = entries.map((entry) => ({
      MessageId: randomUUID(),
      Body: entry.MessageBody,
      MD5OfBody: md5(entry.MessageBody),
      ReceiveCount: 0,
      SentTimestamp: now,
      visibleAt: now + (entry.DelaySeconds ?? 0) * 1000,
    }));
    queue.messages.push(...messages);
    this.save();
    // Deliver soon, as an event source mapping would; tests and the clock await drain() explicitly.
    if (queue.consumer) {
      this.wake?.();
      this.drainSoon();
    }
    return messages;
  }

  private queueOf(url: string): Queue {
    const queue = this.queues.get(url.split('/').pop() ?? '');
    if (!queue) throw nonExistent();
    return queue;
  }

  private visibilityOf(queue: Queue) {
    return queue.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_TIMEOUT_MS;
  }

  private attributesOf(queue: Queue): Record<string, string> {
    const now = Date.now();
    const count = (test: (message: QueueMessage) => boolean) => String(queue.messages.filter(test).length);
    return {
      QueueArn: queueArn(queue.name),
      ApproximateNumberOfMessages: count((m) => m.visibleAt <= now),
      ApproximateNumberOfMessagesNotVisible: count((m) => m.visibleAt > now && m.ReceiveCount > 0),
      ApproximateNumberOfMessagesDelayed: count((m) => m.visibleAt > now && m.ReceiveCount === 0),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      VisibilityTimeout: String(Math.round(this.visibilityOf(queue) / 1000)),
      DelaySeconds: '0',
      MaximumMessageSize: String(MAX_MESSAGE_BYTES),
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'false',
      ...(queue.deadLetter
        ? {
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: queueArn(queue.deadLetter.queueName),
              maxReceiveCount: queue.deadLetter.maxReceiveCount,
            }),
          }
        : {}),
    };
  }

  private save() {
    this.file.write({
      queues: [...this.queues.values()].map(({ name, createdAt, messages }) => ({
        name,
        createdAt,
        messages,
      })),
    });
  }
}

const systemAttributes = (message: QueueMessage) => ({
  ApproximateReceiveCount: String(message.ReceiveCount),
  SentTimestamp: String(message.SentTimestamp),
  SenderId: LOCAL_ACCOUNT,
  ApproximateFirstReceiveTimestamp: String(message.FirstReceiveTimestamp ?? message.SentTimestamp),
});

const toSqsRecord = (queueName: string, message: QueueMessage): SQSRecord => ({
  messageId: message.MessageId,
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body,
  attributes: systemAttributes(message),
  messageAttributes: {},
  md5OfBody: message.MD5OfBody,
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn(queueName),
  awsRegion: LOCAL_REGION,
});

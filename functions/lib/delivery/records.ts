import middy, { type MiddlewareObj } from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { InvalidEventError } from '../errors';
import { parseJsonEvent } from '../events';
import { logger } from '../logger';
import { type SendBatchMessage, sendBatchMessageSchema } from './model';
import { type SendDeps, type SendOutcome, sendBatch } from './send';

/** Time a batch of 50 needs at a modest per-instance rate (7/s), plus SES and DynamoDB latency. */
const TIME_NEEDED_PER_BATCH_MS = 15_000;

/** Why a record goes back to the queue without an error of its own (the partial batch failure's reason). */
export class RecordReturned extends Error {
  override readonly name = 'RecordReturned';
  constructor(readonly why: 'time-left' | 'malformed' | 'busy') {
    super(why);
  }
}

/**
 * Processes an SQS batch of send messages one after the other and answers each record's outcome, in
 * the records' order, for `@middy/sqs-partial-batch-failure` to turn into partial batch failures:
 * a record comes back only if it was not started for lack of time, is malformed (logged, ids only,
 * and left to the dead-letter queue through retries), its recipients are held by another live claim,
 * or an unexpected error struck.
 */
export const processSendRecords = async (
  deps: SendDeps,
  records: SQSRecord[],
  remainingMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<PromiseSettledResult<SendOutcome>[]> => {
  const settled: PromiseSettledResult<SendOutcome>[] = [];
  for (const record of records) {
    // Never start a batch the invocation may not finish: a timeout between SES and the settle
    // writes would send those recipients again. The rest come back as failures, untouched.
    if (remainingMs() < TIME_NEEDED_PER_BATCH_MS) {
      settled.push({ status: 'rejected', reason: new RecordReturned('time-left') });
      continue;
    }
    try {
      settled.push({ status: 'fulfilled', value: await processSendRecord(deps, record) });
    } catch (error) {
      if (!(error instanceof RecordReturned)) {
        logger.error('Batch failed', { messageId: record.messageId, errorName: (error as Error)?.name });
      }
      settled.push({ status: 'rejected', reason: error });
    }
  }
  return settled;
};

const processSendRecord = async (deps: SendDeps, record: SQSRecord): Promise<SendOutcome> => {
  let message: SendBatchMessage;
  try {
    message = parseJsonEvent(sendBatchMessageSchema, record.body, 'send message');
  } catch (error) {
    logger.error('Malformed send message', {
      messageId: record.messageId,
      issues: (error as InvalidEventError).issues?.length,
    });
    throw new RecordReturned('malformed');
  }
  const outcome = await sendBatch(deps, message);
  logger.info('Batch processed', {
    messageId: record.messageId,
    campaignId: message.campaignId,
    stepKey: message.stepKey,
    attempt: message.attempt,
    ...outcome,
  });
  if (outcome.busy > 0) throw new RecordReturned('busy');
  return outcome;
};

/**
 * The send queue's partial batch failures: each record `processSendRecords` rejected comes back.
 * Its default logger prints the whole record, body and all; ours logs the message id and why (the
 * failures themselves are logged where they happen). Only its `after` step is used: its `onError` would turn
 * an invocation that failed as a whole (the send wiring could not be built, e.g. SES GetAccount
 * failed) into every record reported failed, a successful invocation, so Lambda would no longer back
 * off the queue's concurrency nor count the error. Such a failure still fails the invocation.
 */
export const sendQueueBatchFailures = (): MiddlewareObj<SQSEvent> => {
  const { after } = sqsPartialBatchFailure({
    logger: (reason: unknown, record: SQSRecord) =>
      logger.debug('Record returned to the queue', {
        messageId: record.messageId,
        why: reason instanceof RecordReturned ? reason.why : (reason as Error)?.name,
      }),
  });
  return { after };
};

/**
 * The send function's answer to a batch of records (`processSendRecords` behind the same partial
 * batch failure middleware), outside Lambda: for the tests and the benchmark, which drive the sender
 * as the event source mapping does.
 */
export const answerSendRecords = (
  deps: SendDeps,
  records: SQSRecord[],
  remainingMs?: () => number,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> =>
  middy<SQSEvent, { batchItemFailures: { itemIdentifier: string }[] }>({ timeoutEarlyInMillis: 0 })
    .use(sendQueueBatchFailures())
    // The middleware's `after` turns the settled results into the answer (hence the cast).
    .handler(() => processSendRecords(deps, records, remainingMs) as never)(
    { Records: records },
    {} as Context,
  );

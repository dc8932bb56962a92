import type { SQSRecord } from 'aws-lambda';
import type { InvalidEventError } from '../errors';
import { parseJsonEvent } from '../events';
import { logger } from '../logger';
import { type SendBatchMessage, sendBatchMessageSchema } from './model';
import { type SendDeps, sendBatch } from './send';

/** Time a batch of 50 needs at a modest per-instance rate (7/s), plus SES and DynamoDB latency. */
const TIME_NEEDED_PER_BATCH_MS = 15_000;

/**
 * Processes an SQS batch of send messages and answers with the partial batch failures: a record
 * comes back only if its recipients are held by another live claim or an unexpected error struck.
 * A malformed record is logged (ids only) and left to the dead-letter queue through retries.
 */
export const processSendRecords = async (
  deps: SendDeps,
  records: SQSRecord[],
  remainingMs: () => number = () => Number.POSITIVE_INFINITY,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    // Never start a batch the invocation may not finish: a timeout between SES and the settle
    // writes would send those recipients again. The rest come back as failures, untouched.
    if (remainingMs() < TIME_NEEDED_PER_BATCH_MS) {
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      let message: SendBatchMessage;
      try {
        message = parseJsonEvent(sendBatchMessageSchema, record.body, 'send message');
      } catch (error) {
        logger.error('Malformed send message', {
          messageId: record.messageId,
          issues: (error as InvalidEventError).issues?.length,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        continue;
      }
      const outcome = await sendBatch(deps, message);
      logger.info('Batch processed', {
        messageId: record.messageId,
        campaignId: message.campaignId,
        stepKey: message.stepKey,
        attempt: message.attempt,
        ...outcome,
      });
      if (outcome.busy > 0) batchItemFailures.push({ itemIdentifier: record.messageId });
    } catch (error) {
      logger.error('Batch failed', { messageId: record.messageId, errorName: (error as Error)?.name });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

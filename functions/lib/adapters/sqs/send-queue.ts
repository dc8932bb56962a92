import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SendBatchMessage } from '../../delivery/model';
import type { SendQueue } from '../../delivery/ports';

/** Thrown when SQS refused some entries even after one retry of those entries. */
class EnqueueFailedError extends Error {
  override readonly name = 'EnqueueFailedError';
}

/** SQS takes DelaySeconds from 0 to 900 (15 minutes), whole seconds; anything else fails the whole call. */
export const MAX_DELAY_SECONDS = 900;

/** A delay SQS accepts: whole seconds, 0 to 900; a longer backoff waits the longest SQS allows. */
export const sqsDelaySeconds = (seconds: number): number =>
  Number.isFinite(seconds) ? Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(seconds))) : 0;

/** The send queue: batches of recipient ids, ten messages per SendMessageBatch call. */
export const createSendQueue = (client: SQSClient, queueUrl: string): SendQueue => ({
  async enqueue(messages, delaySeconds = 0) {
    const delay = sqsDelaySeconds(delaySeconds);
    for (let i = 0; i < messages.length; i += 10) {
      let entries = messages.slice(i, i + 10).map((message: SendBatchMessage, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(message),
        DelaySeconds: delay,
      }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length > 0 && attempt >= 2) {
          throw new EnqueueFailedError(`SQS refused ${entries.length} of the batch twice`);
        }
      }
    }
  },
});

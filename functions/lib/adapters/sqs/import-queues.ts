import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ImportQueue, InvitationQueue } from '../../imports/ports';
import { sqsDelaySeconds } from './send-queue';

/** The import queue: one message per job to work on, `{jobId}` only. */
export const createImportQueue = (client: SQSClient, queueUrl: string): ImportQueue => ({
  async enqueue(jobId) {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ jobId }) }));
  },
});

class InvitationEnqueueError extends Error {
  override readonly name = 'InvitationEnqueueError';
}

/**
 * Invitations go on the confirmation queue as the sign-up form's confirmation requests do (the
 * address hash, the campaign, the nonce: ids only), ten per SendMessageBatch, optionally delayed.
 */
export const createInvitationQueue = (client: SQSClient, queueUrl: string): InvitationQueue => ({
  async send(requests, delaySeconds) {
    const delay = sqsDelaySeconds(delaySeconds);
    for (let i = 0; i < requests.length; i += 10) {
      let entries = requests.slice(i, i + 10).map((request, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(request),
        DelaySeconds: delay,
      }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length > 0 && attempt >= 2) {
          throw new InvitationEnqueueError(`SQS refused ${entries.length} invitations twice`);
        }
      }
    }
  },
  async backlog() {
    const { Attributes = {} } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    return Number(Attributes.ApproximateNumberOfMessages ?? 0);
  },
});

import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ConfirmationQueue } from '../../subscriptions/ports';

/** The confirmation queue: one message of ids per sign-up, for the confirmation-email worker. */
export const createConfirmationQueue = (client: SQSClient, queueUrl: string): ConfirmationQueue => ({
  async request(message) {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
  },
});

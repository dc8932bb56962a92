import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SignInQueue } from '../../console/ports';

/** The console's sign-in queue: an address hash per request, for the sign-in email worker. */
export const createSignInQueue = (client: SQSClient, queueUrl: string): SignInQueue => ({
  async request(message) {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
  },
});

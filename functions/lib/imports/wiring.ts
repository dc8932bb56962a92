import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createImportJobStore } from '../adapters/dynamodb/import-jobs';
import { createSubscriptionRepository } from '../adapters/dynamodb/subscription-repository';
import { createSuppressionList } from '../adapters/dynamodb/suppression-list';
import { createSecretKeyLoader } from '../adapters/secrets/token-key';
import { readSendRate } from '../adapters/ses/send-quota';
import { createImportQueue, createInvitationQueue } from '../adapters/sqs/import-queues';
import type { Clock } from '../clock';
import type { importConfigSchema } from '../config';
import { onceUntilRejected } from '../once';
import { subscriptionKeys } from '../subscriptions/keys';
import type { ImportCreateDeps, ImportWorkerDeps } from './ports';

/** What the admin API needs for imports. */
export const buildImportCreateDeps = (parts: {
  tableName: string;
  importQueueUrl: string;
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
  clock: Clock;
}): ImportCreateDeps => ({
  jobs: createImportJobStore(parts.dynamo, parts.tableName, () => parts.clock.now()),
  queue: createImportQueue(parts.sqs, parts.importQueueUrl),
  campaigns: createCampaignRepository(parts.dynamo, parts.tableName),
  clock: parts.clock,
});

/** The import worker's dependencies, built once per cold start. */
export const buildImportWorkerDeps = (parts: {
  config: z.infer<typeof importConfigSchema>;
  dynamo: DynamoDBDocumentClient;
  ses: SESv2Client;
  sqs: SQSClient;
  secrets: Parameters<typeof createSecretKeyLoader>[0];
  clock: Clock;
}): ImportWorkerDeps => {
  const { config } = parts;
  // The account's rate, read once per cold start; a failed read fails the message (it comes back).
  const accountRate = onceUntilRejected(
    async () => (await readSendRate(parts.ses, { override: config.SES_MAX_SEND_RATE })).rate,
  );
  return {
    jobs: createImportJobStore(parts.dynamo, config.TABLE_NAME, () => parts.clock.now()),
    subscriptions: createSubscriptionRepository(parts.dynamo, config.TABLE_NAME),
    suppressed: createSuppressionList(parts.dynamo, config.TABLE_NAME).has,
    campaigns: createCampaignRepository(parts.dynamo, config.TABLE_NAME),
    invitations: createInvitationQueue(parts.sqs, config.CONFIRMATION_QUEUE_URL),
    continuation: createImportQueue(parts.sqs, config.IMPORT_QUEUE_URL),
    keys: subscriptionKeys(createSecretKeyLoader(parts.secrets, config.TOKEN_SECRET_ARN)),
    clock: parts.clock,
    realNowMs: () => Date.now(),
    invitationRate: async () => (await accountRate()) * config.IMPORT_SEND_SHARE,
    leaseMs: config.IMPORT_LEASE_SECONDS * 1000,
    invitationDelaySeconds: config.IMPORT_INVITATION_DELAY_SECONDS,
  };
};

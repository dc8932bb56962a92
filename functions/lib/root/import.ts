import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createImportJobStore } from '../adapters/dynamodb/import-jobs';
import { createSubjectDataStore } from '../adapters/dynamodb/subject-data';
import { createSubscriptionRepository } from '../adapters/dynamodb/subscription-repository';
import { createSuppressionList } from '../adapters/dynamodb/suppression-list';
import { readSendRate } from '../adapters/ses/send-quota';
import { createImportQueue, createInvitationQueue } from '../adapters/sqs/import-queues';
import type { ImportConfig } from '../config';
import type { ImportWorkerDeps } from '../imports/ports';
import { onceUntilRejected } from '../once';
import { clients } from './clients';
import { rootClock } from './clock';
import { secretKeys } from './parts';

/** The import worker's dependencies, built once per cold start. */
export const importWorkerDeps = (config: ImportConfig): ImportWorkerDeps => {
  const dynamo = clients.dynamo();
  const sqs = clients.sqs();
  // The account's rate, read once per cold start; a failed read fails the message (it comes back).
  const accountRate = onceUntilRejected(
    async () => (await readSendRate(clients.ses(), { override: config.SES_MAX_SEND_RATE })).rate,
  );
  return {
    jobs: createImportJobStore(dynamo, config.TABLE_NAME, () => rootClock.now()),
    subscriptions: createSubscriptionRepository(dynamo, config.TABLE_NAME),
    suppressed: createSuppressionList(dynamo, config.TABLE_NAME).has,
    erased: createSubjectDataStore(dynamo, config.TABLE_NAME).isErased,
    campaigns: createCampaignRepository(dynamo, config.TABLE_NAME),
    invitations: createInvitationQueue(sqs, config.CONFIRMATION_QUEUE_URL),
    continuation: createImportQueue(sqs, config.IMPORT_QUEUE_URL),
    keys: secretKeys(config),
    clock: rootClock,
    realNowMs: () => Date.now(),
    invitationRate: async () => (await accountRate()) * config.IMPORT_SEND_SHARE,
    leaseMs: config.IMPORT_LEASE_SECONDS * 1000,
    invitationDelaySeconds: config.IMPORT_INVITATION_DELAY_SECONDS,
  };
};

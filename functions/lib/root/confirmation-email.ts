import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createSubscriptionRepository } from '../adapters/dynamodb/subscription-repository';
import { createSuppressionList } from '../adapters/dynamodb/suppression-list';
import type { ConfirmationEmailConfig } from '../config';
import type { ConfirmationDeps } from '../subscriptions/ports';
import { clients } from './clients';
import { rootClock } from './clock';
import { secretKeys, sesMailer } from './parts';

/** The confirmation-email worker's dependencies, built once per cold start. */
export const confirmationEmailDeps = (config: ConfirmationEmailConfig): ConfirmationDeps => {
  const dynamo = clients.dynamo();
  return {
    campaigns: createCampaignRepository(dynamo, config.TABLE_NAME),
    subscriptions: createSubscriptionRepository(dynamo, config.TABLE_NAME),
    suppressed: createSuppressionList(dynamo, config.TABLE_NAME).has,
    mailer: sesMailer(config),
    keys: secretKeys(config),
    clock: rootClock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
  };
};

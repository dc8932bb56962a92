import { createSubscriptionRepository } from '../adapters/dynamodb/subscription-repository';
import { createSuppressionList } from '../adapters/dynamodb/suppression-list';
import type { FeedbackConfig } from '../config';
import type { FeedbackDeps } from '../delivery/feedback';
import { createSuppressor } from '../delivery/suppress';
import { clients } from './clients';
import { rootClock } from './clock';
import { secretKeys } from './parts';

/** The SES feedback function's dependencies, built once per cold start. */
export const sesEventsDeps = (config: FeedbackConfig): FeedbackDeps => {
  const dynamo = clients.dynamo();
  const keys = secretKeys(config);
  return {
    hashEmail: async () => (await keys()).hashEmail,
    suppressor: createSuppressor(
      createSubscriptionRepository(dynamo, config.TABLE_NAME),
      createSuppressionList(dynamo, config.TABLE_NAME),
    ),
    clock: rootClock,
  };
};

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { documentClient } from './lib/adapters/dynamodb/client';
import { createSubscriptionRepository } from './lib/adapters/dynamodb/subscription-repository';
import { createSuppressionList } from './lib/adapters/dynamodb/suppression-list';
import { createSecretKeyLoader, secretsClient } from './lib/adapters/secrets/token-key';
import { systemClock } from './lib/clock';
import { feedbackConfigSchema, parseConfig } from './lib/config';
import { handleSesFeedback, sesFeedbackEventSchema } from './lib/delivery/feedback';
import { createSuppressor } from './lib/delivery/suppress';
import { validate } from './lib/http/validate';
import { logger } from './lib/logger';
import { subscriptionKeys } from './lib/subscriptions/keys';

const config = parseConfig(feedbackConfigSchema);
const keys = subscriptionKeys(createSecretKeyLoader(secretsClient, config.TOKEN_SECRET_ARN));
const deps = {
  hashEmail: async () => (await keys()).hashEmail,
  suppressor: createSuppressor(
    createSubscriptionRepository(documentClient, config.TABLE_NAME),
    createSuppressionList(documentClient, config.TABLE_NAME),
  ),
  clock: systemClock,
};

/**
 * EventBridge target for the configuration set's SES events: a permanent bounce or a complaint
 * suppresses the address for every campaign. A failure throws, so Lambda retries the asynchronous
 * invocation and then sends the event to the feedback dead-letter queue (with an alarm).
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => handleSesFeedback(deps, validate(sesFeedbackEventSchema, event)));

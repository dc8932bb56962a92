import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { createCampaignRepository } from './lib/adapters/dynamodb/campaign-repository';
import { documentClient } from './lib/adapters/dynamodb/client';
import { createDeliveryStats } from './lib/adapters/dynamodb/delivery-ledger';
import { createSubjectDataStore } from './lib/adapters/dynamodb/subject-data';
import { createSubscriberCounter } from './lib/adapters/dynamodb/subscriber-counter';
import { schedulerClient } from './lib/adapters/scheduler/client';
import { createReminderScheduler } from './lib/adapters/scheduler/reminder-scheduler';
import { createSecretKeyLoader, secretsClient } from './lib/adapters/secrets/token-key';
import { systemClock } from './lib/clock';
import { adminApiConfigSchema, parseConfig } from './lib/config';
import { adminRoutes } from './lib/http/admin-routes';
import { httpErrors } from './lib/http/errors';
import { withHeadAndMethodNotAllowed } from './lib/http/methods';
import { securityHeaders } from './lib/http/security-headers';
import { logger } from './lib/logger';
import { subscriptionKeys } from './lib/subscriptions/keys';

const config = parseConfig(adminApiConfigSchema);
const campaigns = createCampaignRepository(documentClient, config.TABLE_NAME);
const deliveries = createDeliveryStats(documentClient, config.TABLE_NAME);
const subscriberCounts = createSubscriberCounter(documentClient, config.TABLE_NAME);
const keys = subscriptionKeys(createSecretKeyLoader(secretsClient, config.TOKEN_SECRET_ARN));
const subjects = {
  store: createSubjectDataStore(documentClient, config.TABLE_NAME),
  hashEmail: async () => (await keys()).hashEmail,
  clock: systemClock,
};
const scheduler = createReminderScheduler(schedulerClient, {
  groupName: config.SCHEDULE_GROUP,
  roleArn: config.SCHEDULER_ROLE_ARN,
  targetArn: config.DISPATCH_FUNCTION_ARN,
  deadLetterArn: config.SCHEDULE_DLQ_ARN,
});

/**
 * Admin HTTP API: campaigns and their timelines, subscriber counts, subject access and erasure.
 * Authorised by IAM in AWS, a bearer token locally.
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId', resetKeys: true }))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(
    httpRouterHandler(
      withHeadAndMethodNotAllowed(
        adminRoutes({ campaigns, scheduler, clock: systemClock, deliveries, subscriberCounts, subjects }),
      ),
    ),
  );

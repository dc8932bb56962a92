import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { createCampaignRepository } from './lib/adapters/dynamodb/campaign-repository';
import { documentClient } from './lib/adapters/dynamodb/client';
import { createSubscriptionRepository } from './lib/adapters/dynamodb/subscription-repository';
import { createSuppressionList } from './lib/adapters/dynamodb/suppression-list';
import { createSecretKeyLoader, secretsClient } from './lib/adapters/secrets/token-key';
import { sesClient } from './lib/adapters/ses/client';
import { createSesMailer } from './lib/adapters/ses/mailer';
import { systemClock } from './lib/clock';
import { parseConfig, publicApiConfigSchema, subscriptionsConfigSchema } from './lib/config';
import { httpErrors } from './lib/http/errors';
import { publicRoutes } from './lib/http/public-routes';
import { securityHeaders } from './lib/http/security-headers';
import { logger } from './lib/logger';
import { subscriptionKeys } from './lib/subscriptions/keys';

const config = parseConfig(publicApiConfigSchema);
const campaigns = createCampaignRepository(documentClient, config.TABLE_NAME);
const subscriptionsConfig = parseConfig(subscriptionsConfigSchema);
const subscriptions = {
  campaigns,
  clock: systemClock,
  subscriptions: createSubscriptionRepository(documentClient, config.TABLE_NAME),
  mailer: createSesMailer(sesClient, {
    from: subscriptionsConfig.SENDER_EMAIL,
    templatePrefix: subscriptionsConfig.SES_TEMPLATE_PREFIX,
    configurationSet: subscriptionsConfig.SES_CONFIGURATION_SET,
  }),
  // The signing key is read from Secrets Manager on first use and kept for this cold start.
  keys: subscriptionKeys(createSecretKeyLoader(secretsClient, subscriptionsConfig.TOKEN_SECRET_ARN)),
  getCampaign: (id: string) => campaigns.getCampaign(id),
  publicBaseUrl: config.PUBLIC_BASE_URL,
  retentionDays: subscriptionsConfig.SUBSCRIPTION_RETENTION_DAYS,
  suppressed: createSuppressionList(documentClient, config.TABLE_NAME).has,
};

/** Public HTTP API (API Gateway HTTP API, payload 2.0): health, open campaigns, sign-up pages. */
export const handler = middy()
  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId', resetKeys: true }))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(httpRouterHandler(publicRoutes({ campaigns, clock: systemClock, subscriptions })));

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { documentClient } from './lib/adapters/dynamodb/client';
import { createSubjectDataStore } from './lib/adapters/dynamodb/subject-data';
import { secretsClient } from './lib/adapters/secrets/token-key';
import { sesClient } from './lib/adapters/ses/client';
import { createSesTemplateSource } from './lib/adapters/ses/template-source';
import { sqsClient } from './lib/adapters/sqs/client';
import { systemClock } from './lib/clock';
import { apiConfigSchema, parseConfig } from './lib/config';
import { httpErrors } from './lib/http/errors';
import { withHeadAndMethodNotAllowed } from './lib/http/methods';
import { publicRoutes } from './lib/http/public-routes';
import { securityHeaders } from './lib/http/security-headers';
import { logger } from './lib/logger';
import { buildSubscriptionDeps } from './lib/subscriptions/wiring';

const config = parseConfig(apiConfigSchema);
const subscriptionDeps = buildSubscriptionDeps({
  config,
  dynamo: documentClient,
  ses: sesClient,
  sqs: sqsClient,
  secrets: secretsClient,
  clock: systemClock,
});
const deps = {
  ...subscriptionDeps,
  reminderTemplates: createSesTemplateSource(sesClient, { templatePrefix: config.SES_TEMPLATE_PREFIX }),
  subjects: {
    store: createSubjectDataStore(documentClient, config.TABLE_NAME),
    hashEmail: async () => (await subscriptionDeps.keys()).hashEmail,
    clock: systemClock,
  },
};

/** Public HTTP API (API Gateway HTTP API, payload 2.0): health, open campaigns, sign-up pages. */
export const handler = middy()
  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId', resetKeys: true }))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(httpRouterHandler(withHeadAndMethodNotAllowed(publicRoutes(deps))));

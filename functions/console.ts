import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { documentClient } from './lib/adapters/dynamodb/client';
import { schedulerClient } from './lib/adapters/scheduler/client';
import { secretsClient } from './lib/adapters/secrets/token-key';
import { sesClient } from './lib/adapters/ses/client';
import { sqsClient } from './lib/adapters/sqs/client';
import { systemClock } from './lib/clock';
import { consoleConfigSchema, parseConfig } from './lib/config';
import { campaignConsoleRoutes } from './lib/console/campaign/routes';
import { buildCampaignConsoleDeps } from './lib/console/campaign/wiring';
import { consoleNotFound, consoleRoutes } from './lib/console/routes';
import { buildConsoleDeps } from './lib/console/wiring';
import { httpErrors } from './lib/http/errors';
import { withHeadAndMethodNotAllowed } from './lib/http/methods';
import { securityHeaders } from './lib/http/security-headers';
import { logger } from './lib/logger';

const config = parseConfig(consoleConfigSchema);
const deps = buildConsoleDeps({
  config,
  dynamo: documentClient,
  sqs: sqsClient,
  secrets: secretsClient,
  clock: systemClock,
});
const campaignPages = campaignConsoleRoutes(
  buildCampaignConsoleDeps({
    config,
    dynamo: documentClient,
    ses: sesClient,
    scheduler: schedulerClient,
    clock: systemClock,
  }),
);

/** The admin console (`/console/*`): server-rendered pages behind an emailed sign-in link and a session cookie. */
export const handler = middy()
  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId', resetKeys: true }))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(
    httpRouterHandler({
      routes: withHeadAndMethodNotAllowed(consoleRoutes(deps, campaignPages)),
      // A page, not the router's thrown 404 (typed as throwing; it may return an answer too).
      notFoundResponse: (() => consoleNotFound()) as unknown as () => never,
    }),
  );

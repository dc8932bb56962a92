import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { createCampaignRepository } from './lib/adapters/dynamodb/campaign-repository';
import { documentClient } from './lib/adapters/dynamodb/client';
import { systemClock } from './lib/clock';
import { parseConfig, publicApiConfigSchema } from './lib/config';
import { httpErrors } from './lib/http/errors';
import { publicRoutes } from './lib/http/public-routes';
import { securityHeaders } from './lib/http/security-headers';
import { logger } from './lib/logger';

const config = parseConfig(publicApiConfigSchema);
const campaigns = createCampaignRepository(documentClient, config.TABLE_NAME);

/** Public HTTP API (API Gateway HTTP API, payload 2.0): health, open campaigns, sign-up pages. */
export const handler = middy()
  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId', resetKeys: true }))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(httpRouterHandler(publicRoutes({ campaigns, clock: systemClock })));

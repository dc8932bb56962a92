import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { apiConfigSchema, parseConfig } from './lib/config';
import { httpErrors } from './lib/http/errors';
import { securityHeaders } from './lib/http/security-headers';
import { logger } from './lib/logger';
import { apiRoutes } from './lib/root/api';
import { tracer } from './lib/tracer';

const routes = apiRoutes(parseConfig(apiConfigSchema));

/** Public HTTP API (API Gateway HTTP API, payload 2.0): health, open campaigns, sign-up pages. */
export const handler = middy()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId', resetKeys: true }))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(httpRouterHandler(routes));

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { adminApiConfigSchema, parseConfig } from './lib/config';
import { httpErrors } from './lib/http/errors';
import { securityHeaders } from './lib/http/security-headers';
import { logger } from './lib/logger';
import { adminApiRoutes } from './lib/root/admin-api';
import { tracer } from './lib/tracer';

const routes = adminApiRoutes(parseConfig(adminApiConfigSchema));

/** Admin HTTP API: campaigns and their timelines, approvals, urgent alerts, the audit log and the console's allow-list. Authorised by IAM in AWS, a bearer token locally. */
export const handler = middy()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId', resetKeys: true }))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(httpRouterHandler(routes));

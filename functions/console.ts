import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { consoleConfigSchema, parseConfig } from './lib/config';
import { consoleNotFound } from './lib/console/routes';
import { httpErrors } from './lib/http/errors';
import { securityHeaders } from './lib/http/security-headers';
import { logger } from './lib/logger';
import { consoleRouteTable } from './lib/root/console';
import { campaignConsolePages, peopleConsolePages } from './lib/root/console-campaign';
import { tracer } from './lib/tracer';

const config = parseConfig(consoleConfigSchema);
const routes = consoleRouteTable(config, [...campaignConsolePages(config), ...peopleConsolePages(config)]);

/** The admin console (`/console/*`): server-rendered pages behind an emailed sign-in link and a session cookie. */
export const handler = middy()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId', resetKeys: true }))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(
    httpRouterHandler({
      routes,
      // A page, not the router's thrown 404 (typed as throwing; it may return an answer too).
      notFoundResponse: (() => consoleNotFound()) as unknown as () => never,
    }),
  );

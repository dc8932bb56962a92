import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { consoleSignInEmailConfigSchema, parseConfig } from './lib/config';
import { processSignInRecords } from './lib/console/sign-in-worker';
import { logger } from './lib/logger';
import { consoleSignInEmailDeps } from './lib/root/console-sign-in-email';
import { tracer } from './lib/tracer';

const deps = consoleSignInEmailDeps(parseConfig(consoleSignInEmailConfigSchema));

/** SQS consumer of the console's sign-in queue: emails a one-time link to allow-listed admins only. */
export const handler = middy<SQSEvent>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: SQSEvent) => processSignInRecords(deps, event.Records));

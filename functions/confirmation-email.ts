import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { confirmationEmailConfigSchema, parseConfig } from './lib/config';
import { logger } from './lib/logger';
import { confirmationEmailDeps } from './lib/root/confirmation-email';
import { processConfirmationRecords } from './lib/subscriptions/confirmation-email';
import { tracer } from './lib/tracer';

const deps = confirmationEmailDeps(parseConfig(confirmationEmailConfigSchema));

/** SQS consumer of the confirmation queue: sends each sign-up's confirmation email, partial batch failures. */
export const handler = middy<SQSEvent>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: SQSEvent) => processConfirmationRecords(deps, event.Records));

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { importConfigSchema, parseConfig } from './lib/config';
import { processImportRecords } from './lib/imports/records';
import { logger } from './lib/logger';
import { importWorkerDeps } from './lib/root/import';
import { tracer } from './lib/tracer';

const deps = importWorkerDeps(parseConfig(importConfigSchema));

/** SQS consumer of the import queue: works on one import job from its cursor, at a share of the SES rate. */
export const handler = middy<SQSEvent>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: SQSEvent, context) =>
    processImportRecords(deps, event.Records, () => context.getRemainingTimeInMillis()),
  );

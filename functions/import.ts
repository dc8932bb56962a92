import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { documentClient } from './lib/adapters/dynamodb/client';
import { secretsClient } from './lib/adapters/secrets/token-key';
import { sesClient } from './lib/adapters/ses/client';
import { sqsClient } from './lib/adapters/sqs/client';
import { systemClock } from './lib/clock';
import { importConfigSchema, parseConfig } from './lib/config';
import { processImportRecords } from './lib/imports/records';
import { buildImportWorkerDeps } from './lib/imports/wiring';
import { logger } from './lib/logger';

const deps = buildImportWorkerDeps({
  config: parseConfig(importConfigSchema),
  dynamo: documentClient,
  ses: sesClient,
  sqs: sqsClient,
  secrets: secretsClient,
  clock: systemClock,
});

/** SQS consumer of the import queue: works on one import job from its cursor, at the SES rate. */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: SQSEvent, context) =>
    processImportRecords(deps, event.Records, () => context.getRemainingTimeInMillis()),
  );

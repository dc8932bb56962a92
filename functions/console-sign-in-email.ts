import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { documentClient } from './lib/adapters/dynamodb/client';
import { secretsClient } from './lib/adapters/secrets/token-key';
import { sesClient } from './lib/adapters/ses/client';
import { systemClock } from './lib/clock';
import { consoleSignInEmailConfigSchema, parseConfig } from './lib/config';
import { processSignInRecords } from './lib/console/sign-in-worker';
import { buildSignInEmailDeps } from './lib/console/wiring';
import { logger } from './lib/logger';

const deps = buildSignInEmailDeps({
  config: parseConfig(consoleSignInEmailConfigSchema),
  dynamo: documentClient,
  ses: sesClient,
  secrets: secretsClient,
  clock: systemClock,
});

/** SQS consumer of the console's sign-in queue: emails a one-time link to allow-listed admins only. */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: SQSEvent) => processSignInRecords(deps, event.Records));

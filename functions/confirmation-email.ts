import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { documentClient } from './lib/adapters/dynamodb/client';
import { secretsClient } from './lib/adapters/secrets/token-key';
import { sesClient } from './lib/adapters/ses/client';
import { systemClock } from './lib/clock';
import { confirmationEmailConfigSchema, parseConfig } from './lib/config';
import { logger } from './lib/logger';
import { processConfirmationRecords } from './lib/subscriptions/confirmation-email';
import { buildConfirmationDeps } from './lib/subscriptions/wiring';

const deps = buildConfirmationDeps({
  config: parseConfig(confirmationEmailConfigSchema),
  dynamo: documentClient,
  ses: sesClient,
  secrets: secretsClient,
  clock: systemClock,
});

/** SQS consumer of the confirmation queue: sends each sign-up's confirmation email, partial batch failures. */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: SQSEvent) => processConfirmationRecords(deps, event.Records));

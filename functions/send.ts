import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { documentClient } from './lib/adapters/dynamodb/client';
import { createSecretKeyLoader, secretsClient } from './lib/adapters/secrets/token-key';
import { sesClient } from './lib/adapters/ses/client';
import { sqsClient } from './lib/adapters/sqs/client';
import { systemClock } from './lib/clock';
import { parseConfig, sendConfigSchema } from './lib/config';
import { powertoolsDeliveryMetrics } from './lib/delivery/metrics';
import { processSendRecords, sendQueueBatchFailures } from './lib/delivery/records';
import { buildSendDeps } from './lib/delivery/wiring';
import { logger } from './lib/logger';
import { onceUntilRejected } from './lib/once';
import { subscriptionKeys } from './lib/subscriptions/keys';

const config = parseConfig(sendConfigSchema);
const metrics = new Metrics({ namespace: 'ElectionSecurityReminders', serviceName: 'send' });
const sendDeps = onceUntilRejected(() =>
  buildSendDeps({
    config,
    dynamo: documentClient,
    ses: sesClient,
    sqs: sqsClient,
    keys: subscriptionKeys(createSecretKeyLoader(secretsClient, config.TOKEN_SECRET_ARN)),
    clock: systemClock,
    metrics: powertoolsDeliveryMetrics(metrics),
  }),
);

/** SQS consumer of the send queue: one SES SendBulkEmail per message, partial batch failures. */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(sendQueueBatchFailures())
  .handler(async (event: SQSEvent, context) =>
    processSendRecords(await sendDeps(), event.Records, () => context.getRemainingTimeInMillis()),
  );

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { parseConfig, sendConfigSchema } from './lib/config';
import { DELIVERY_METRICS } from './lib/delivery/metrics';
import { processSendRecords, sendQueueBatchFailures } from './lib/delivery/records';
import { logger } from './lib/logger';
import { onceUntilRejected } from './lib/once';
import { sendDeps } from './lib/root/send';
import { tracer } from './lib/tracer';

const config = parseConfig(sendConfigSchema);
const metrics = new Metrics({ namespace: DELIVERY_METRICS.namespace, serviceName: DELIVERY_METRICS.service });
// Built on the first batch (it asks SES for the send rate); a failure is retried on the next.
const deps = onceUntilRejected(() => sendDeps(config, metrics));

/** SQS consumer of the send queue: one SES SendBulkEmail per message, partial batch failures. */
export const handler = middy<SQSEvent>()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(sendQueueBatchFailures())
  .handler(async (event: SQSEvent, context) =>
    processSendRecords(await deps(), event.Records, () => context.getRemainingTimeInMillis()),
  );

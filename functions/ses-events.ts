import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { feedbackConfigSchema, parseConfig } from './lib/config';
import { handleSesFeedback, sesFeedbackEventSchema } from './lib/delivery/feedback';
import { parseEvent } from './lib/events';
import { logger } from './lib/logger';
import { sesEventsDeps } from './lib/root/ses-events';
import { tracer } from './lib/tracer';

const deps = sesEventsDeps(parseConfig(feedbackConfigSchema));

/**
 * EventBridge target for the configuration set's SES events: a permanent bounce or a complaint
 * suppresses the address for every campaign. A failure throws, so Lambda retries the asynchronous
 * invocation and then sends the event to the feedback dead-letter queue (with an alarm).
 */
export const handler = middy()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) =>
    handleSesFeedback(deps, parseEvent(sesFeedbackEventSchema, event, 'SES event')),
  );

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { dispatchInputSchema, dispatchStep } from './lib/campaigns/dispatch-step';
import { dispatchConfigSchema, parseConfig } from './lib/config';
import { parseEvent } from './lib/events';
import { logger } from './lib/logger';
import { dispatchDeps } from './lib/root/dispatch';
import { tracer } from './lib/tracer';

const deps = dispatchDeps(parseConfig(dispatchConfigSchema));

/**
 * EventBridge Scheduler target: one campaign step's schedule fired. The event is the schedule's Input
 * ({campaignId, stepKey, version}). Invalid input or a failed fan-out throws, so Lambda retries
 * (the fan-out resumes) and then dead-letters it, and the DLQ alarm tells a person.
 */
export const handler = middy()
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) =>
    dispatchStep(deps, parseEvent(dispatchInputSchema, event, 'schedule input')),
  );

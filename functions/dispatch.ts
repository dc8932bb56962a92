import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createCampaignRepository } from './lib/adapters/dynamodb/campaign-repository';
import { documentClient } from './lib/adapters/dynamodb/client';
import { dispatchStep, parseDispatchInput } from './lib/campaigns/dispatch-step';
import { systemClock } from './lib/clock';
import { dispatchConfigSchema, parseConfig } from './lib/config';
import { logger } from './lib/logger';

const config = parseConfig(dispatchConfigSchema);
const campaigns = createCampaignRepository(documentClient, config.TABLE_NAME);

/**
 * EventBridge Scheduler target: one campaign step's schedule fired. The event is the schedule's Input
 * ({campaignId, stepKey, version}). Invalid input throws, so Scheduler retries and then dead-letters
 * it, and the DLQ alarm tells a person. Wiring only: the work is dispatchStep.
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) =>
    dispatchStep({ campaigns, clock: systemClock, log: logger }, parseDispatchInput(event)),
  );

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createAudienceDirectory } from './lib/adapters/dynamodb/audience-directory';
import { createCampaignRepository } from './lib/adapters/dynamodb/campaign-repository';
import { documentClient } from './lib/adapters/dynamodb/client';
import { createDeliveryLedger } from './lib/adapters/dynamodb/delivery-ledger';
import { sqsClient } from './lib/adapters/sqs/client';
import { createSendQueue } from './lib/adapters/sqs/send-queue';
import { dispatchStep, parseDispatchInput } from './lib/campaigns/dispatch-step';
import { systemClock } from './lib/clock';
import { dispatchConfigSchema, parseConfig } from './lib/config';
import { fanOutStep } from './lib/delivery/dispatch';
import { createStepLookup } from './lib/delivery/step-lookup';
import { logger } from './lib/logger';

const config = parseConfig(dispatchConfigSchema);
const campaigns = createCampaignRepository(documentClient, config.TABLE_NAME);
const fanOutDeps = {
  clock: systemClock,
  audience: createAudienceDirectory(documentClient, config.TABLE_NAME),
  ledger: createDeliveryLedger(documentClient, config.TABLE_NAME),
  queue: createSendQueue(sqsClient, config.SEND_QUEUE_URL),
  steps: createStepLookup(campaigns, { cacheMs: 0 }),
};
const deps = {
  campaigns,
  clock: systemClock,
  log: logger,
  fanOut: (step: Parameters<typeof fanOutStep>[1]) => fanOutStep(fanOutDeps, step),
};

/**
 * EventBridge Scheduler target: one campaign step's schedule fired. The event is the schedule's Input
 * ({campaignId, stepKey, version}). Invalid input or a failed fan-out throws, so Lambda retries
 * (the fan-out resumes) and then dead-letters it, and the DLQ alarm tells a person.
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => dispatchStep(deps, parseDispatchInput(event)));

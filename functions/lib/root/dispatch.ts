import { createAudienceDirectory } from '../adapters/dynamodb/audience-directory';
import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createDeliveryLedger } from '../adapters/dynamodb/delivery-ledger';
import { createSendQueue } from '../adapters/sqs/send-queue';
import type { DispatchDeps } from '../campaigns/dispatch-step';
import type { DispatchConfig } from '../config';
import { fanOutStep } from '../delivery/dispatch';
import { createStepLookup } from '../delivery/step-lookup';
import { logger } from '../logger';
import { clients } from './clients';
import { rootClock } from './clock';

/** The dispatch function's dependencies (schedule target), built once per cold start. */
export const dispatchDeps = (config: DispatchConfig): DispatchDeps => {
  const dynamo = clients.dynamo();
  const campaigns = createCampaignRepository(dynamo, config.TABLE_NAME);
  const fanOutDeps = {
    clock: rootClock,
    audience: createAudienceDirectory(dynamo, config.TABLE_NAME),
    ledger: createDeliveryLedger(dynamo, config.TABLE_NAME),
    queue: createSendQueue(clients.sqs(), config.SEND_QUEUE_URL),
    steps: createStepLookup(campaigns, { cacheMs: 0 }),
  };
  return {
    campaigns,
    clock: rootClock,
    log: logger,
    fanOut: (step) => fanOutStep(fanOutDeps, step),
  };
};

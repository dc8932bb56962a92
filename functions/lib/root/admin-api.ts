import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createDeliveryStats } from '../adapters/dynamodb/delivery-ledger';
import { createImportJobStore } from '../adapters/dynamodb/import-jobs';
import { createReminderScheduler } from '../adapters/scheduler/reminder-scheduler';
import { createImportQueue } from '../adapters/sqs/import-queues';
import { type CampaignAdminDeps, campaignAdminRoutes } from '../campaigns/routes';
import type { AdminApiConfig } from '../config';
import { withHeadAndMethodNotAllowed } from '../http/methods';
import type { Route } from '../http/route';
import type { ImportCreateDeps } from '../imports/ports';
import { importAdminRoutes } from '../imports/routes';
import { clients } from './clients';
import { rootClock } from './clock';

export type AdminDeps = CampaignAdminDeps & { imports?: ImportCreateDeps };

/** Admin routes: IAM-authorised in AWS, bearer-token-authorised in the local stack. */
export const adminRoutes = (deps: AdminDeps): Route[] => [
  ...campaignAdminRoutes(deps),
  ...(deps.imports ? importAdminRoutes(deps.imports) : []),
];

/** The admin API's dependencies, built once per cold start. */
export const adminApiDeps = (config: AdminApiConfig): AdminDeps => {
  const dynamo = clients.dynamo();
  return {
    campaigns: createCampaignRepository(dynamo, config.TABLE_NAME),
    deliveries: createDeliveryStats(dynamo, config.TABLE_NAME),
    scheduler: createReminderScheduler(clients.scheduler(), {
      groupName: config.SCHEDULE_GROUP,
      roleArn: config.SCHEDULER_ROLE_ARN,
      targetArn: config.DISPATCH_FUNCTION_ARN,
      deadLetterArn: config.SCHEDULE_DLQ_ARN,
    }),
    clock: rootClock,
    imports: {
      jobs: createImportJobStore(dynamo, config.TABLE_NAME, () => rootClock.now()),
      queue: createImportQueue(clients.sqs(), config.IMPORT_QUEUE_URL),
      campaigns: createCampaignRepository(dynamo, config.TABLE_NAME),
      clock: rootClock,
    },
  };
};

/** The admin API's router table, with HEAD for each GET and 405 for other methods. */
export const adminApiRoutes = (config: AdminApiConfig): Route[] =>
  withHeadAndMethodNotAllowed(adminRoutes(adminApiDeps(config)));

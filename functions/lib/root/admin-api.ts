import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createDeliveryStats } from '../adapters/dynamodb/delivery-ledger';
import { createSubscriberCounter } from '../adapters/dynamodb/subscriber-counter';
import { createReminderScheduler } from '../adapters/scheduler/reminder-scheduler';
import { type CampaignAdminDeps, campaignAdminRoutes } from '../campaigns/routes';
import type { AdminApiConfig } from '../config';
import { withHeadAndMethodNotAllowed } from '../http/methods';
import type { Route } from '../http/route';
import type { SubjectRightsDeps } from '../subjects/ports';
import { subjectAdminRoutes } from '../subjects/routes';
import { clients } from './clients';
import { rootClock } from './clock';
import { subjectRightsDeps } from './parts';

export type AdminDeps = CampaignAdminDeps & { subjects: SubjectRightsDeps };

/** Admin routes: IAM-authorised in AWS, bearer-token-authorised in the local stack. */
export const adminRoutes = (deps: AdminDeps): Route[] => [
  ...campaignAdminRoutes(deps),
  ...subjectAdminRoutes(deps.subjects),
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
    subscriberCounts: createSubscriberCounter(dynamo, config.TABLE_NAME),
    subjects: subjectRightsDeps(dynamo, config),
  };
};

/** The admin API's router table, with HEAD for each GET and 405 for other methods. */
export const adminApiRoutes = (config: AdminApiConfig): Route[] =>
  withHeadAndMethodNotAllowed(adminRoutes(adminApiDeps(config)));

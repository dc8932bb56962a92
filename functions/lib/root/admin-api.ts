import { createAdminStore } from '../adapters/dynamodb/admin-store';
import { createAuditLog } from '../adapters/dynamodb/audit-log';
import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createDeliveryStats } from '../adapters/dynamodb/delivery-ledger';
import { createReminderScheduler } from '../adapters/scheduler/reminder-scheduler';
import { createSesTemplatePreviewer } from '../adapters/ses/template-previewer';
import { createAdminDirectory } from '../admins/directory';
import { type AdminManagementDeps, adminManagementRoutes } from '../admins/routes';
import { type CampaignAdminDeps, campaignAdminRoutes } from '../campaigns/routes';
import type { AdminApiConfig } from '../config';
import { withHeadAndMethodNotAllowed } from '../http/methods';
import type { Route } from '../http/route';
import { clients } from './clients';
import { rootClock } from './clock';

export type AdminDeps = CampaignAdminDeps & Partial<AdminManagementDeps>;

/**
 * Admin routes: IAM-authorised in AWS, bearer-token-authorised in the local stack. Campaigns,
 * approvals, alerts, audit, and the console's stored allow-list.
 */
export const adminRoutes = (deps: AdminDeps): Route[] => [
  ...campaignAdminRoutes(deps),
  ...(deps.admins && deps.audit ? adminManagementRoutes(deps as AdminManagementDeps) : []),
];

/** The admin API's dependencies, built once per cold start. */
export const adminApiDeps = (config: AdminApiConfig): AdminDeps => {
  const dynamo = clients.dynamo();
  const adminStore = createAdminStore(dynamo, config.TABLE_NAME);
  return {
    // The console's stored allow-list (`esr admins`); its changes go to the audit log too.
    admins: { directory: createAdminDirectory(config.ESR_ADMINS, adminStore), store: adminStore },
    audit: createAuditLog(dynamo, config.TABLE_NAME, { retentionDays: config.AUDIT_RETENTION_DAYS }),
    campaigns: createCampaignRepository(dynamo, config.TABLE_NAME),
    deliveries: createDeliveryStats(dynamo, config.TABLE_NAME),
    scheduler: createReminderScheduler(clients.scheduler(), {
      groupName: config.SCHEDULE_GROUP,
      roleArn: config.SCHEDULER_ROLE_ARN,
      targetArn: config.DISPATCH_FUNCTION_ARN,
      deadLetterArn: config.SCHEDULE_DLQ_ARN,
    }),
    clock: rootClock,
    previewer: createSesTemplatePreviewer(clients.ses(), { templatePrefix: config.SES_TEMPLATE_PREFIX }),
  };
};

/** The admin API's router table, with HEAD for each GET and 405 for other methods. */
export const adminApiRoutes = (config: AdminApiConfig): Route[] =>
  withHeadAndMethodNotAllowed(adminRoutes(adminApiDeps(config)));

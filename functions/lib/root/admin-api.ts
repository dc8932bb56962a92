import { createAdminStore } from '../adapters/dynamodb/admin-store';
import { createAuditLog } from '../adapters/dynamodb/audit-log';
import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createDeliveryStats } from '../adapters/dynamodb/delivery-ledger';
import { createSubscriberCounter } from '../adapters/dynamodb/subscriber-counter';
import { createReminderScheduler } from '../adapters/scheduler/reminder-scheduler';
import { createSesTemplatePreviewer } from '../adapters/ses/template-previewer';
import { createAdminDirectory } from '../admins/directory';
import { type AdminManagementDeps, adminManagementRoutes } from '../admins/routes';
import { type CampaignAdminDeps, campaignAdminRoutes } from '../campaigns/routes';
import type { AdminApiConfig } from '../config';
import { withHeadAndMethodNotAllowed } from '../http/methods';
import type { Route } from '../http/route';
import type { SubjectRightsDeps } from '../subjects/ports';
import { subjectAdminRoutes } from '../subjects/routes';
import { clients } from './clients';
import { rootClock } from './clock';
import { subjectRightsDeps } from './parts';

export type AdminDeps = CampaignAdminDeps & Partial<AdminManagementDeps> & { subjects: SubjectRightsDeps };

/**
 * Admin routes: IAM-authorised in AWS, bearer-token-authorised in the local stack. Campaigns,
 * approvals, alerts, audit, the console's stored allow-list, and subject access and erasure.
 */
export const adminRoutes = (deps: AdminDeps): Route[] => [
  ...campaignAdminRoutes(deps),
  ...subjectAdminRoutes(deps.subjects),
  ...(deps.admins && deps.audit ? adminManagementRoutes(deps as AdminManagementDeps) : []),
];

/** The admin API's dependencies, built once per cold start. */
export const adminApiDeps = (config: AdminApiConfig): AdminDeps => {
  const dynamo = clients.dynamo();
  const adminStore = createAdminStore(dynamo, config.TABLE_NAME);
  const audit = createAuditLog(dynamo, config.TABLE_NAME, { retentionDays: config.AUDIT_RETENTION_DAYS });
  return {
    // The console's stored allow-list (`esr admins`); its changes go to the audit log too.
    admins: { directory: createAdminDirectory(config.ESR_ADMINS, adminStore), store: adminStore },
    audit,
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
    subscriberCounts: createSubscriberCounter(dynamo, config.TABLE_NAME),
    // Exports and erasures are admin actions: written down, with counts only.
    subjects: { ...subjectRightsDeps(dynamo, config), audit },
  };
};

/** The admin API's router table, with HEAD for each GET and 405 for other methods. */
export const adminApiRoutes = (config: AdminApiConfig): Route[] =>
  withHeadAndMethodNotAllowed(adminRoutes(adminApiDeps(config)));

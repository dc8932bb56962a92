import { createAuditLog } from '../adapters/dynamodb/audit-log';
import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createDeliveryStats } from '../adapters/dynamodb/delivery-ledger';
import { createImportJobStore } from '../adapters/dynamodb/import-jobs';
import { createReminderScheduler } from '../adapters/scheduler/reminder-scheduler';
import { createSesTemplateSource } from '../adapters/ses/template-source';
import { createImportQueue } from '../adapters/sqs/import-queues';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../audit/audit';
import type { ConsoleConfig } from '../config';
import { approvalActions } from '../console/campaign/actions';
import { type CampaignConsoleDeps, campaignConsoleRoutes } from '../console/campaign/routes';
import type { ConsoleRoute } from '../console/http';
import { type PeopleConsoleDeps, peopleConsoleRoutes } from '../console/people/routes';
import { clients } from './clients';
import { rootClock } from './clock';
import { subjectRightsDeps } from './parts';

/** The console's campaign pages' dependencies, built once per cold start of the console function. */
export const campaignConsoleDeps = (config: ConsoleConfig): CampaignConsoleDeps => {
  const dynamo = clients.dynamo();
  const campaigns = createCampaignRepository(dynamo, config.TABLE_NAME);
  const scheduler = createReminderScheduler(clients.scheduler(), {
    groupName: config.SCHEDULE_GROUP,
    roleArn: config.SCHEDULER_ROLE_ARN,
    targetArn: config.DISPATCH_FUNCTION_ARN,
    deadLetterArn: config.SCHEDULE_DLQ_ARN,
  });
  return {
    campaigns,
    deliveries: createDeliveryStats(dynamo, config.TABLE_NAME),
    reminderTemplates: createSesTemplateSource(clients.ses(), { templatePrefix: config.SES_TEMPLATE_PREFIX }),
    // The approval core: drafts, pending changes and alerts, each recorded in the audit log.
    actions: approvalActions({
      campaigns,
      scheduler,
      clock: rootClock,
      audit: createAuditLog(dynamo, config.TABLE_NAME, { retentionDays: DEFAULT_AUDIT_RETENTION_DAYS }),
    }),
    clock: rootClock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
  };
};

/** The import and subscriber pages' dependencies: the imports core and the subject-rights core, audited. */
export const peopleConsoleDeps = (config: ConsoleConfig): PeopleConsoleDeps => {
  const dynamo = clients.dynamo();
  const campaigns = createCampaignRepository(dynamo, config.TABLE_NAME);
  const audit = createAuditLog(dynamo, config.TABLE_NAME, { retentionDays: DEFAULT_AUDIT_RETENTION_DAYS });
  return {
    imports: {
      jobs: createImportJobStore(dynamo, config.TABLE_NAME, () => rootClock.now()),
      queue: createImportQueue(clients.sqs(), config.IMPORT_QUEUE_URL),
      campaigns,
      clock: rootClock,
    },
    // Exports and erasures are admin actions: written down, with counts only (the admin as actor).
    subjects: { ...subjectRightsDeps(dynamo, config), audit },
    campaigns,
    audit,
  };
};

/** The import and subscriber pages, for the console's router table (root/console.ts). */
export const peopleConsolePages = (config: ConsoleConfig): ConsoleRoute[] =>
  peopleConsoleRoutes(peopleConsoleDeps(config));

/** The campaign pages, for the console's router table (root/console.ts). */
export const campaignConsolePages = (config: ConsoleConfig): ConsoleRoute[] =>
  campaignConsoleRoutes(campaignConsoleDeps(config));

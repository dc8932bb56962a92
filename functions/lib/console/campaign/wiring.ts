import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { createAuditLog } from '../../adapters/dynamodb/audit-log';
import { createCampaignRepository } from '../../adapters/dynamodb/campaign-repository';
import { createDeliveryStats } from '../../adapters/dynamodb/delivery-ledger';
import { createReminderScheduler } from '../../adapters/scheduler/reminder-scheduler';
import { createSesTemplateSource } from '../../adapters/ses/template-source';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../../audit/audit';
import type { Clock } from '../../clock';
import type { consoleConfigSchema } from '../../config';
import { approvalActions } from './actions';
import type { CampaignConsoleDeps } from './routes';

/** The campaign pages' dependencies, built once per cold start of the console function. */
export const buildCampaignConsoleDeps = (parts: {
  config: z.infer<typeof consoleConfigSchema>;
  dynamo: DynamoDBDocumentClient;
  ses: SESv2Client;
  scheduler: SchedulerClient;
  clock: Clock;
}): CampaignConsoleDeps => {
  const { config, dynamo, clock } = parts;
  const campaigns = createCampaignRepository(dynamo, config.TABLE_NAME);
  const scheduler = createReminderScheduler(parts.scheduler, {
    groupName: config.SCHEDULE_GROUP,
    roleArn: config.SCHEDULER_ROLE_ARN,
    targetArn: config.DISPATCH_FUNCTION_ARN,
    deadLetterArn: config.SCHEDULE_DLQ_ARN,
  });
  return {
    campaigns,
    deliveries: createDeliveryStats(dynamo, config.TABLE_NAME),
    reminderTemplates: createSesTemplateSource(parts.ses, { templatePrefix: config.SES_TEMPLATE_PREFIX }),
    actions: approvalActions({
      campaigns,
      scheduler,
      clock,
      audit: createAuditLog(dynamo, config.TABLE_NAME, { retentionDays: DEFAULT_AUDIT_RETENTION_DAYS }),
    }),
    clock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
  };
};

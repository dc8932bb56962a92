import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { createAdminStore } from './lib/adapters/dynamodb/admin-store';
import { createAuditLog } from './lib/adapters/dynamodb/audit-log';
import { createCampaignRepository } from './lib/adapters/dynamodb/campaign-repository';
import { documentClient } from './lib/adapters/dynamodb/client';
import { createDeliveryStats } from './lib/adapters/dynamodb/delivery-ledger';
import { schedulerClient } from './lib/adapters/scheduler/client';
import { createReminderScheduler } from './lib/adapters/scheduler/reminder-scheduler';
import { sesClient } from './lib/adapters/ses/client';
import { createSesTemplatePreviewer } from './lib/adapters/ses/template-previewer';
import { createAdminDirectory } from './lib/admins/directory';
import { systemClock } from './lib/clock';
import { adminApiConfigSchema, parseConfig } from './lib/config';
import { adminRoutes } from './lib/http/admin-routes';
import { httpErrors } from './lib/http/errors';
import { withHeadAndMethodNotAllowed } from './lib/http/methods';
import { securityHeaders } from './lib/http/security-headers';
import { logger } from './lib/logger';

const config = parseConfig(adminApiConfigSchema);
const campaigns = createCampaignRepository(documentClient, config.TABLE_NAME);
const deliveries = createDeliveryStats(documentClient, config.TABLE_NAME);
const adminStore = createAdminStore(documentClient, config.TABLE_NAME);
const admins = { directory: createAdminDirectory(config.ESR_ADMINS, adminStore), store: adminStore };
const audit = createAuditLog(documentClient, config.TABLE_NAME, {
  retentionDays: config.AUDIT_RETENTION_DAYS,
});
const previewer = createSesTemplatePreviewer(sesClient, { templatePrefix: config.SES_TEMPLATE_PREFIX });
const scheduler = createReminderScheduler(schedulerClient, {
  groupName: config.SCHEDULE_GROUP,
  roleArn: config.SCHEDULER_ROLE_ARN,
  targetArn: config.DISPATCH_FUNCTION_ARN,
  deadLetterArn: config.SCHEDULE_DLQ_ARN,
});

/** Admin HTTP API: campaigns and their timelines, approvals, urgent alerts, the audit log and the console's allow-list. Authorised by IAM in AWS, a bearer token locally. */
export const handler = middy()
  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId', resetKeys: true }))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(
    httpRouterHandler(
      withHeadAndMethodNotAllowed(
        adminRoutes({ campaigns, scheduler, clock: systemClock, deliveries, admins, audit, previewer }),
      ),
    ),
  );

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { createCampaignRepository } from './lib/adapters/dynamodb/campaign-repository';
import { documentClient } from './lib/adapters/dynamodb/client';
import { createDeliveryStats } from './lib/adapters/dynamodb/delivery-ledger';
import { schedulerClient } from './lib/adapters/scheduler/client';
import { createReminderScheduler } from './lib/adapters/scheduler/reminder-scheduler';
import { sqsClient } from './lib/adapters/sqs/client';
import { systemClock } from './lib/clock';
import { adminApiWithImportsConfigSchema, parseConfig } from './lib/config';
import { adminRoutes } from './lib/http/admin-routes';
import { httpErrors } from './lib/http/errors';
import { withHeadAndMethodNotAllowed } from './lib/http/methods';
import { securityHeaders } from './lib/http/security-headers';
import { buildImportCreateDeps } from './lib/imports/wiring';
import { logger } from './lib/logger';

const config = parseConfig(adminApiWithImportsConfigSchema);
const campaigns = createCampaignRepository(documentClient, config.TABLE_NAME);
const deliveries = createDeliveryStats(documentClient, config.TABLE_NAME);
const scheduler = createReminderScheduler(schedulerClient, {
  groupName: config.SCHEDULE_GROUP,
  roleArn: config.SCHEDULER_ROLE_ARN,
  targetArn: config.DISPATCH_FUNCTION_ARN,
  deadLetterArn: config.SCHEDULE_DLQ_ARN,
});
const imports = buildImportCreateDeps({
  tableName: config.TABLE_NAME,
  importQueueUrl: config.IMPORT_QUEUE_URL,
  dynamo: documentClient,
  sqs: sqsClient,
  clock: systemClock,
});

/** Admin HTTP API: campaigns and their timelines, imports. Authorised by IAM in AWS, a bearer token locally. */
export const handler = middy()
  .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId', resetKeys: true }))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(
    httpRouterHandler(
      withHeadAndMethodNotAllowed(
        adminRoutes({ campaigns, scheduler, clock: systemClock, deliveries, imports }),
      ),
    ),
  );

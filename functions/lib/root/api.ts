import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createSubscriptionRepository } from '../adapters/dynamodb/subscription-repository';
import { createSesTemplateSource } from '../adapters/ses/template-source';
import { createConfirmationQueue } from '../adapters/sqs/confirmation-queue';
import type { ReminderTemplateSource } from '../campaigns/ports';
import { campaignPublicRoutes } from '../campaigns/routes';
import type { ApiConfig } from '../config';
import { API_ROUTES } from '../http/api-routes';
import { withHeadAndMethodNotAllowed } from '../http/methods';
import { json } from '../http/responses';
import type { Route } from '../http/route';
import type { SubjectRightsDeps } from '../subjects/ports';
import { manageRoutes } from '../subscriptions/manage-routes';
import type { SubscriptionDeps } from '../subscriptions/ports';
import { subscriptionRoutes } from '../subscriptions/routes';
import { timetableRoutes } from '../timetable/routes';
import { clients } from './clients';
import { rootClock } from './clock';
import { secretKeys, sesMailer, subjectRightsDeps } from './parts';

export type PublicDeps = SubscriptionDeps & {
  reminderTemplates: ReminderTemplateSource;
  /** Subject access and erasure, for the "Manage your reminders" page. */
  subjects: SubjectRightsDeps;
};

/**
 * The public routes: what anyone on the internet can reach (health, open campaigns, timelines and
 * the subscriber journey). Each capability adds its own list, declared in its `route-table.ts` and
 * listed in PUBLIC_API_ROUTES (functions/lib/http/api-routes.ts), which API Gateway gets too.
 */
export const publicRoutes = (deps: PublicDeps): Route[] => [
  { ...API_ROUTES.health, handler: async () => json(200, { status: 'ok' }) },
  ...campaignPublicRoutes(deps),
  ...subscriptionRoutes(deps),
  ...manageRoutes(deps),
  ...timetableRoutes(),
];

/** The public API's dependencies, built once per cold start. */
export const apiDeps = (config: ApiConfig): PublicDeps => {
  const dynamo = clients.dynamo();
  return {
    campaigns: createCampaignRepository(dynamo, config.TABLE_NAME),
    subscriptions: createSubscriptionRepository(dynamo, config.TABLE_NAME),
    mailer: sesMailer(config),
    confirmations: createConfirmationQueue(clients.sqs(), config.CONFIRMATION_QUEUE_URL),
    keys: secretKeys(config),
    clock: rootClock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    senderEmail: config.SENDER_EMAIL,
    retentionDays: config.SUBSCRIPTION_RETENTION_DAYS,
    reminderTemplates: createSesTemplateSource(clients.ses(), { templatePrefix: config.SES_TEMPLATE_PREFIX }),
    subjects: subjectRightsDeps(dynamo, config),
  };
};

/** The public API's router table: every route, with HEAD for each GET and 405 for other methods. */
export const apiRoutes = (config: ApiConfig): Route[] =>
  withHeadAndMethodNotAllowed(publicRoutes(apiDeps(config)));

import { campaignPublicRoutes } from '../campaigns/http';
import { listOpenCampaigns } from '../campaigns/list-open-campaigns';
import type { ReminderTemplateSource } from '../campaigns/ports';
import type { SubjectRightsDeps } from '../subjects/ports';
import { manageRoutes } from '../subscriptions/manage-routes';
import type { SubscriptionDeps } from '../subscriptions/ports';
import { subscriptionRoutes } from '../subscriptions/routes';
import { timetableRoutes } from '../timetable/routes';
import { json } from './responses';
import type { Route } from './route';

/**
 * The public routes: what anyone on the internet can reach (health, open campaigns, timelines and
 * the subscriber journey). Each capability adds its own list.
 */
export type PublicDeps = SubscriptionDeps & {
  reminderTemplates: ReminderTemplateSource;
  /** Subject access and erasure, for the self-service page. */
  subjects: SubjectRightsDeps;
};

export const publicRoutes = (deps: PublicDeps): Route[] => [
  { method: 'GET', path: '/health', handler: async () => json(200, { status: 'ok' }) },
  { method: 'GET', path: '/campaigns', handler: async () => json(200, await listOpenCampaigns(deps)) },
  ...campaignPublicRoutes(deps),
  ...subscriptionRoutes(deps),
  ...manageRoutes(deps),
  ...timetableRoutes(),
];

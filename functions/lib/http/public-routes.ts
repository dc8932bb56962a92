import { campaignPublicRoutes } from '../campaigns/http';
import { listOpenCampaigns } from '../campaigns/list-open-campaigns';
import type { CampaignRepository } from '../campaigns/ports';
import type { Clock } from '../clock';
import { type SubscriptionRouteDeps, subscriptionRoutes } from '../subscriptions/routes';
import { json } from './responses';
import type { Route } from './route';

export interface PublicRouteDeps {
  campaigns: CampaignRepository;
  clock: Clock;
  /** The subscriber journey (sign-up, confirm, unsubscribe pages and API); absent in narrow tests. */
  subscriptions?: SubscriptionRouteDeps;
}

/** The public routes: what anyone on the internet can reach. Each capability adds its own list. */
export const publicRoutes = (deps: PublicRouteDeps): Route[] => [
  { method: 'GET', path: '/health', handler: async () => json(200, { status: 'ok' }) },
  { method: 'GET', path: '/campaigns', handler: async () => json(200, await listOpenCampaigns(deps)) },
  ...campaignPublicRoutes(deps),
  ...(deps.subscriptions ? subscriptionRoutes(deps.subscriptions) : []),
];

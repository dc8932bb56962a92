import { listOpenCampaigns } from '../campaigns/list-open-campaigns';
import type { CampaignRepository } from '../campaigns/ports';
import type { Clock } from '../clock';
import { json } from './responses';
import type { Route } from './route';

export interface PublicRouteDeps {
  campaigns: CampaignRepository;
  clock: Clock;
}

/** The public routes: what anyone on the internet can reach. Each capability adds its own list. */
export const publicRoutes = (deps: PublicRouteDeps): Route[] => [
  { method: 'GET', path: '/health', handler: async () => json(200, { status: 'ok' }) },
  { method: 'GET', path: '/campaigns', handler: async () => json(200, await listOpenCampaigns(deps)) },
];

import type { CampaignRepository } from '../campaigns/ports';
import type { Clock } from '../clock';
import { json } from './responses';
import type { Route } from './route';

export interface AdminRouteDeps {
  campaigns: CampaignRepository;
  clock: Clock;
}

/** Admin routes: IAM-authorised in AWS, bearer-token-authorised in the local stack. */
export const adminRoutes = (deps: AdminRouteDeps): Route[] => [
  {
    method: 'GET',
    path: '/admin/campaigns',
    handler: async () => json(200, await deps.campaigns.listCampaigns()),
  },
];

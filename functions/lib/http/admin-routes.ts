import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CampaignRepository } from '../campaigns/ports';
import type { Clock } from '../clock';
import { type HttpResult, json } from './responses';

export interface AdminRouteDeps {
  campaigns: CampaignRepository;
  clock: Clock;
}

type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handler: (event: APIGatewayProxyEventV2) => Promise<HttpResult>;
};

/** Admin routes: IAM-authorised in AWS, bearer-token-authorised in the local stack. */
export const adminRoutes = (deps: AdminRouteDeps): Route[] => [
  {
    method: 'GET',
    path: '/admin/campaigns',
    handler: async () => json(200, await deps.campaigns.listCampaigns()),
  },
];

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { listOpenCampaigns } from '../campaigns/list-open-campaigns';
import type { CampaignRepository } from '../campaigns/ports';
import type { Clock } from '../clock';
import { type HttpResult, json } from './responses';

export interface PublicRouteDeps {
  campaigns: CampaignRepository;
  clock: Clock;
}

type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handler: (event: APIGatewayProxyEventV2) => Promise<HttpResult>;
};

/** The public routes: what anyone on the internet can reach. */
export const publicRoutes = (deps: PublicRouteDeps): Route[] => [
  { method: 'GET', path: '/health', handler: async () => json(200, { status: 'ok' }) },
  { method: 'GET', path: '/campaigns', handler: async () => json(200, await listOpenCampaigns(deps)) },
];

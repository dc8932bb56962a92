import { type CampaignAdminDeps, campaignAdminRoutes } from '../campaigns/http';
import type { Route } from './route';

export type AdminRouteDeps = CampaignAdminDeps;

/** Admin routes: IAM-authorised in AWS, bearer-token-authorised in the local stack. */
export const adminRoutes = (deps: AdminRouteDeps): Route[] => [...campaignAdminRoutes(deps)];

import { type AdminManagementDeps, adminManagementRoutes } from '../admins/http';
import { type CampaignAdminDeps, campaignAdminRoutes } from '../campaigns/http';
import type { Route } from './route';

export type AdminRouteDeps = CampaignAdminDeps & Partial<AdminManagementDeps>;

/** Admin routes: IAM-authorised in AWS, bearer-token-authorised in the local stack. */
export const adminRoutes = (deps: AdminRouteDeps): Route[] => [
  ...campaignAdminRoutes(deps),
  ...(deps.admins && deps.audit && deps.clock ? adminManagementRoutes(deps as AdminManagementDeps) : []),
];

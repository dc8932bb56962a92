import { type CampaignAdminDeps, campaignAdminRoutes } from '../campaigns/http';
import { importAdminRoutes } from '../imports/http';
import type { ImportCreateDeps } from '../imports/ports';
import type { Route } from './route';

export type AdminRouteDeps = CampaignAdminDeps & { imports?: ImportCreateDeps };

/** Admin routes: IAM-authorised in AWS, bearer-token-authorised in the local stack. */
export const adminRoutes = (deps: AdminRouteDeps): Route[] => [
  ...campaignAdminRoutes(deps),
  ...(deps.imports ? importAdminRoutes(deps.imports) : []),
];

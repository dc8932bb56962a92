import { type CampaignAdminDeps, campaignAdminRoutes } from '../campaigns/http';
import { subjectAdminRoutes } from '../subjects/http';
import type { SubjectRightsDeps } from '../subjects/ports';
import type { Route } from './route';

export type AdminRouteDeps = CampaignAdminDeps & { subjects?: SubjectRightsDeps };

/** Admin routes: IAM-authorised in AWS, bearer-token-authorised in the local stack. */
export const adminRoutes = (deps: AdminRouteDeps): Route[] => [
  ...campaignAdminRoutes(deps),
  ...(deps.subjects ? subjectAdminRoutes(deps.subjects) : []),
];

import { ADMIN_MANAGEMENT_ROUTES } from '../admins/route-table';
import { CAMPAIGN_ADMIN_ROUTES, CAMPAIGN_PUBLIC_ROUTES } from '../campaigns/route-table';
import { IMPORT_ADMIN_ROUTES } from '../imports/route-table';
import { SUBJECT_ADMIN_ROUTES } from '../subjects/route-table';
import { MANAGE_ROUTES, SUBSCRIPTION_ROUTES } from '../subscriptions/route-table';
import { TIMETABLE_ROUTES } from '../timetable/route-table';
import type { RouteDeclaration, RouteTable } from './route';

/**
 * Every HTTP route, declared once (method and path, no handler code): each function's router serves
 * exactly these (test/unit/http/api-routes.test.ts), and the CDK app gives API Gateway the same
 * (infra/stack.ts; test/infra/routes.test.ts). A route added to a capability's `route-table.ts` is
 * served locally and in AWS; a new table is listed here.
 */

/** The public API function's own routes. */
export const API_ROUTES = {
  health: { method: 'GET', path: '/health' },
} as const satisfies RouteTable;

/** What the public API function serves: API Gateway lists each route, and HEAD for each GET. */
export const PUBLIC_API_ROUTES: readonly RouteDeclaration[] = [
  API_ROUTES,
  CAMPAIGN_PUBLIC_ROUTES,
  TIMETABLE_ROUTES,
  SUBSCRIPTION_ROUTES,
  MANAGE_ROUTES,
].flatMap((table) => Object.values(table));

/** What the admin function serves: every path under `/admin/`, so ADMIN_API_PROXY reaches it. */
export const ADMIN_API_ROUTES: readonly RouteDeclaration[] = [
  CAMPAIGN_ADMIN_ROUTES,
  SUBJECT_ADMIN_ROUTES,
  ADMIN_MANAGEMENT_ROUTES,
  IMPORT_ADMIN_ROUTES,
].flatMap((table) => Object.values(table));

/** API Gateway's one route to the admin function (IAM-authorised): any method on any path under `/admin/`. */
export const ADMIN_API_PROXY = { method: 'ANY', path: '/admin/{proxy+}' } as const;

/**
 * API Gateway's routes to the console function (public, through CloudFront): its pages sit under
 * `/console`, and its own router (functions/lib/console/) checks the session cookie and the role.
 */
export const CONSOLE_GATEWAY_ROUTES = [
  { method: 'GET', path: '/console' },
  { method: 'GET', path: '/console/{proxy+}' },
  { method: 'POST', path: '/console/{proxy+}' },
] as const satisfies readonly RouteDeclaration[];

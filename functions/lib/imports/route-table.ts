import type { RouteTable } from '../http/route';

/** Staff imports (admin): a CSV file becomes a queued job; its progress and report by job id. */
export const IMPORT_ADMIN_ROUTES = {
  create: { method: 'POST', path: '/admin/campaigns/{id}/imports' },
  status: { method: 'GET', path: '/admin/imports/{jobId}' },
} as const satisfies RouteTable;

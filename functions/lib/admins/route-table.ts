import type { RouteTable } from '../http/route';

/** Stored admins, managed over the admin API (`esr admins`). */
export const ADMIN_MANAGEMENT_ROUTES = {
  list: { method: 'GET', path: '/admin/admins' },
  put: { method: 'PUT', path: '/admin/admins/{email}' },
  remove: { method: 'DELETE', path: '/admin/admins/{email}' },
} as const satisfies RouteTable;

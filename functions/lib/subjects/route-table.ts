import type { RouteTable } from '../http/route';

/** Subject access and erasure for one address (admin; the address in the body, never in the path). */
export const SUBJECT_ADMIN_ROUTES = {
  export: { method: 'POST', path: '/admin/subscribers/export' },
  erase: { method: 'POST', path: '/admin/subscribers/erase' },
} as const satisfies RouteTable;

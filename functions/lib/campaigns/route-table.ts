import type { RouteTable } from '../http/route';

/** The campaigns' public routes: open campaigns, a campaign's calendar feed and a reminder's web copy. */
export const CAMPAIGN_PUBLIC_ROUTES = {
  listOpen: { method: 'GET', path: '/campaigns' },
  timelineIcs: { method: 'GET', path: '/campaigns/{id}/timeline.ics' },
  reminderPage: { method: 'GET', path: '/campaigns/{id}/reminders/{stepKey}' },
} as const satisfies RouteTable;

/** The campaigns' admin routes (under `/admin/`, which API Gateway sends to the admin function). */
export const CAMPAIGN_ADMIN_ROUTES = {
  create: { method: 'POST', path: '/admin/campaigns' },
  list: { method: 'GET', path: '/admin/campaigns' },
  get: { method: 'GET', path: '/admin/campaigns/{id}' },
  update: { method: 'PATCH', path: '/admin/campaigns/{id}' },
  delete: { method: 'DELETE', path: '/admin/campaigns/{id}' },
  cancel: { method: 'POST', path: '/admin/campaigns/{id}/cancel' },
  approve: { method: 'POST', path: '/admin/campaigns/{id}/approve' },
  withdraw: { method: 'POST', path: '/admin/campaigns/{id}/withdraw' },
  createAlert: { method: 'POST', path: '/admin/campaigns/{id}/alerts' },
  previewAlert: { method: 'GET', path: '/admin/campaigns/{id}/alerts/{alertId}/preview' },
  approveAlert: { method: 'POST', path: '/admin/campaigns/{id}/alerts/{alertId}/approve' },
  withdrawAlert: { method: 'POST', path: '/admin/campaigns/{id}/alerts/{alertId}/withdraw' },
  audit: { method: 'GET', path: '/admin/audit' },
} as const satisfies RouteTable;

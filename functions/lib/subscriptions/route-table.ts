import type { RouteTable } from '../http/route';

/** The subscriber journey's routes (all public): sign-up, confirmation, unsubscribe, footer pages, assets. */
export const SUBSCRIPTION_ROUTES = {
  signupPage: { method: 'GET', path: '/' },
  subscribe: { method: 'POST', path: '/subscriptions' },
  confirmPage: { method: 'GET', path: '/subscriptions/confirm' },
  confirm: { method: 'POST', path: '/subscriptions/confirm' },
  unsubscribePage: { method: 'GET', path: '/unsubscribe' },
  unsubscribe: { method: 'POST', path: '/unsubscribe' },
  assets: { method: 'GET', path: '/assets/{proxy+}' },
  privacy: { method: 'GET', path: '/privacy' },
  accessibility: { method: 'GET', path: '/accessibility' },
  contact: { method: 'GET', path: '/contact' },
} as const satisfies RouteTable;

/** "Manage your reminders", from the signed link in every email (public). */
export const MANAGE_ROUTES = {
  page: { method: 'GET', path: '/manage' },
  change: { method: 'POST', path: '/manage' },
  data: { method: 'GET', path: '/manage/data' },
  deletePage: { method: 'GET', path: '/manage/delete' },
  delete: { method: 'POST', path: '/manage/delete' },
} as const satisfies RouteTable;

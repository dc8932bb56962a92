import type { RouteTable } from '../http/route';

/** The statutory timetable (public). */
export const TIMETABLE_ROUTES = {
  timetable: { method: 'GET', path: '/timetable' },
} as const satisfies RouteTable;

import { z } from 'zod';
import { json } from '../http/responses';
import type { Route } from '../http/route';
import { validate } from '../http/validate';
import { isIsoDate } from './dates';
import { ELECTION_TYPES, TIMETABLE_NATIONS } from './elections';
import { TIMETABLE_ROUTES } from './route-table';
import { computeTimetable, type Milestone } from './timetable';

/** GET /timetable's query: each bad field is named with a message a person can act on. */
export const timetableQuerySchema = z.object({
  election: z.enum(ELECTION_TYPES, { error: `election must be one of: ${ELECTION_TYPES.join(', ')}` }),
  nation: z.enum(TIMETABLE_NATIONS, { error: `nation must be one of: ${TIMETABLE_NATIONS.join(', ')}` }),
  pollDate: z
    .string({ error: 'pollDate is required: a date in the form YYYY-MM-DD, e.g. 2027-05-06' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, {
      error: 'pollDate must be a date in the form YYYY-MM-DD, e.g. 2027-05-06',
      abort: true,
    })
    .refine(isIsoDate, 'pollDate is not a real calendar date'),
});

/** `GET /timetable`'s answer. */
export type TimetableView = z.infer<typeof timetableQuerySchema> & { milestones: Milestone[] };

/**
 * The statutory timetable for an election type, nation and poll date. Public: it holds no personal
 * data and changes only when the bank-holiday data does, so shared caches may keep it for an hour.
 */
export const timetableRoutes = (): Route[] => [
  {
    ...TIMETABLE_ROUTES.timetable,
    handler: async (event) => {
      const query = validate(timetableQuerySchema, event.queryStringParameters ?? {});
      const milestones = computeTimetable(query);
      const body: TimetableView = { ...query, milestones };
      return json(200, body, { 'cache-control': 'public, max-age=3600' });
    },
  },
];

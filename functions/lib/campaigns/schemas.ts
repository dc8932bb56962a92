import { z } from 'zod';
import { ROLES } from '../domain/roles';
import { getPlaybook, PLAYBOOKS } from '../playbooks/index';
import { isValidPollDate } from '../timeline/lay-out';
import { isValidTimeZone } from '../timeline/send-time';
import { ELECTION_TYPES, NATIONS_BY_ELECTION, TIMETABLE_NATIONS } from '../timetable/elections';

/** Edge schemas for the campaign API: each bad field is named with a message a person can act on. */

const DATE_FORMAT = /^\d{4}-\d{2}-\d{2}$/;

export const pollDateSchema = z
  .string({ error: 'pollDate is required: a date in the form YYYY-MM-DD, e.g. 2027-05-06' })
  // abort: a wrongly written date gets one message, not a second 'not a real date' as well.
  .regex(DATE_FORMAT, {
    error: 'pollDate must be a date in the form YYYY-MM-DD, e.g. 2027-05-06',
    abort: true,
  })
  .refine(isValidPollDate, 'pollDate is not a real calendar date');

const MAX_NON_WORKING_DAYS = 10;

/** One-off days the timetable disregards: days of public thanksgiving or mourning. */
export const nonWorkingDaysSchema = z
  .array(
    z
      .string()
      .regex(DATE_FORMAT, {
        error: 'each non-working day must be a date in the form YYYY-MM-DD',
        abort: true,
      })
      .refine(isValidPollDate, 'each non-working day must be a real calendar date'),
    { error: 'nonWorkingDays must be a list of dates in the form YYYY-MM-DD' },
  )
  .max(MAX_NON_WORKING_DAYS, `nonWorkingDays holds at most ${MAX_NON_WORKING_DAYS} dates`);

export const electionSchema = z.enum(ELECTION_TYPES, {
  error: `election must be one of: ${ELECTION_TYPES.join(', ')}`,
});

export const createCampaignSchema = z
  .strictObject({
    name: z
      .string({ error: 'name is required' })
      .trim()
      .min(1, 'name is required')
      .max(120, 'name must be at most 120 characters'),
    pollDate: pollDateSchema,
    /** Absent for clients written before election types: a local election. */
    election: electionSchema.optional(),
    nation: z.enum(TIMETABLE_NATIONS, { error: `nation must be one of: ${TIMETABLE_NATIONS.join(', ')}` }),
    nonWorkingDays: nonWorkingDaysSchema.optional(),
    playbook: z
      .string()
      .refine((id) => getPlaybook(id) !== undefined, {
        error: `playbook is not known; known playbooks: ${Object.keys(PLAYBOOKS).join(', ')}`,
      })
      .optional(),
    timezone: z
      .string()
      .refine(isValidTimeZone, 'timezone must be an IANA time zone name, e.g. Europe/London')
      .optional(),
  })
  .superRefine((input, ctx) => {
    const election = input.election ?? 'local';
    const allowed = NATIONS_BY_ELECTION[election];
    if (!allowed.includes(input.nation)) {
      ctx.addIssue({
        code: 'custom',
        path: ['nation'],
        message: `nation ${input.nation} has no ${election} elections; for ${election} use one of: ${allowed.join(', ')}`,
      });
    }
  });
export type CreateCampaignInput = z.infer<typeof createCampaignSchema>;

export const rescheduleCampaignSchema = z
  .strictObject({ pollDate: pollDateSchema.optional(), nonWorkingDays: nonWorkingDaysSchema.optional() })
  .refine((input) => input.pollDate !== undefined || input.nonWorkingDays !== undefined, {
    error: 'give pollDate, nonWorkingDays or both',
    path: ['pollDate'],
  });
export type RescheduleCampaignInput = z.infer<typeof rescheduleCampaignSchema>;

export const timelineQuerySchema = z.object({
  role: z.enum(ROLES, { error: `role must be one of: ${ROLES.join(', ')}` }),
});

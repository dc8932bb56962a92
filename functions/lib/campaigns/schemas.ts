import { z } from 'zod';
import { NATIONS, ROLES } from '../domain/roles';
import { getPlaybook, PLAYBOOKS } from '../playbooks/index';
import { isValidPollDate } from '../timeline/lay-out';
import { isValidSendTime, isValidTimeZone } from '../timeline/send-time';

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

export const createCampaignSchema = z.strictObject({
  name: z
    .string({ error: 'name is required' })
    .trim()
    .min(1, 'name is required')
    .max(120, 'name must be at most 120 characters'),
  pollDate: pollDateSchema,
  nation: z.enum(NATIONS, { error: `nation must be one of: ${NATIONS.join(', ')}` }),
  playbook: z
    .string()
    .refine((id) => getPlaybook(id) !== undefined, {
      error: `playbook is not known; known playbooks: ${Object.keys(PLAYBOOKS).join(', ')}`,
    })
    .optional(),
  sendTime: z
    .string()
    .refine(isValidSendTime, 'sendTime must be a 24-hour time in the form HH:MM, e.g. 09:00')
    .optional(),
  timezone: z
    .string()
    .refine(isValidTimeZone, 'timezone must be an IANA time zone name, e.g. Europe/London')
    .optional(),
});
export type CreateCampaignInput = z.infer<typeof createCampaignSchema>;

export const rescheduleCampaignSchema = z.strictObject({ pollDate: pollDateSchema });
export type RescheduleCampaignInput = z.infer<typeof rescheduleCampaignSchema>;

export const timelineQuerySchema = z.object({
  role: z.enum(ROLES, { error: `role must be one of: ${ROLES.join(', ')}` }),
});

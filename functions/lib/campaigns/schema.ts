import { z } from 'zod';
import { AUDIENCES, ROLES } from '../domain/roles';
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

// Short, checked fields only: these words go into every email, so nothing free-form.
const PERSON_OR_BODY = /^[\p{L}\p{N}][\p{L}\p{N} '’&(),.-]*$/u;
const UK_PHONE = /^\+?[0-9][0-9 ]{8,15}[0-9]$/;

const nameField = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .min(1, `${field} is required`)
    .max(100, `${field} must be at most 100 characters`)
    .regex(PERSON_OR_BODY, `${field} may hold letters, digits, spaces and ' & ( ) , . - only`);
const emailField = (field: string) =>
  z.email({ error: `${field} must be an email address` }).max(254, `${field} is too long`);
const phoneField = (field: string) =>
  z
    .string()
    .trim()
    .regex(UK_PHONE, `${field} must be a phone number of digits and spaces, e.g. 01234 567890`)
    .refine((value) => {
      const digits = value.replace(/\D/g, '').length;
      return digits >= 10 && digits <= 13;
    }, `${field} must have 10 to 13 digits`);

export const organiserSchema = z.strictObject(
  {
    name: nameField('organiser.name'),
    email: emailField('organiser.email'),
    phone: phoneField('organiser.phone').optional(),
    website: z
      .url({ protocol: /^https$/, error: 'organiser.website must be an https address' })
      .max(200, 'organiser.website is too long')
      .refine((value) => {
        const url = new URL(value);
        return url.username === '' && url.password === '' && url.port === '' && url.hostname.includes('.');
      }, 'organiser.website must be a plain https address on a public domain')
      .optional(),
  },
  { error: 'organiser is required: {"name", "email", "phone"?, "website"?}' },
);

export const localContactSchema = z
  .strictObject({
    name: nameField('contact name'),
    phone: phoneField('contact phone').optional(),
    email: emailField('contact email').optional(),
  })
  .refine((contact) => contact.phone !== undefined || contact.email !== undefined, {
    error: 'a contact needs a phone number, an email address or both',
    path: ['phone'],
  });

export const contactsSchema = z.partialRecord(z.enum(AUDIENCES), localContactSchema, {
  error: `contacts is keyed by audience: ${AUDIENCES.join(', ')}`,
});

export const createCampaignSchema = z
  .strictObject({
    name: z
      .string({ error: 'name is required' })
      .trim()
      .min(1, 'name is required')
      .max(120, 'name must be at most 120 characters'),
    pollDate: pollDateSchema,
    organiser: organiserSchema,
    contacts: contactsSchema.optional(),
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

export const updateCampaignSchema = z
  .strictObject({
    pollDate: pollDateSchema.optional(),
    nonWorkingDays: nonWorkingDaysSchema.optional(),
    organiser: organiserSchema.optional(),
    contacts: contactsSchema.optional(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    error: 'give at least one of pollDate, nonWorkingDays, organiser, contacts',
    path: ['pollDate'],
  });
export type UpdateCampaignInput = z.infer<typeof updateCampaignSchema>;

export const timelineQuerySchema = z.object({
  role: z.enum(ROLES, { error: `role must be one of: ${ROLES.join(', ')}` }),
});

import type { z } from 'zod';
import type { Campaign } from '../../campaigns/model';
import {
  type CreateCampaignInput,
  createCampaignSchema,
  type UpdateCampaignInput,
  updateCampaignSchema,
} from '../../campaigns/schema';
import { AUDIENCES, type Audience } from '../../domain/roles';
import type { Issue } from '../../errors';

/**
 * The campaign form as posted (application/x-www-form-urlencoded, one value per name), turned into
 * the JSON API's input and checked with the same zod schemas, so the console and the API accept
 * exactly the same campaigns. Errors come back keyed by the id of the field to fix, in form order,
 * for the GOV.UK error summary.
 */

export type FormValues = Record<string, string>;

export interface FieldError {
  /** The id of the input the summary links to. */
  field: string;
  message: string;
}

const CONTACT_PARTS = ['name', 'phone', 'email'] as const;

export const contactField = (audience: Audience, part: (typeof CONTACT_PARTS)[number]) =>
  `contacts-${audience}-${part}`;

/** Every field in the order it appears on the form: the error summary follows this order. */
export const CREATE_FIELDS = [
  'name',
  'election',
  'nation',
  'pollDate-day',
  'pollDate-month',
  'pollDate-year',
  'organiser-name',
  'organiser-email',
  'organiser-phone',
  'organiser-website',
  ...AUDIENCES.flatMap((audience) => CONTACT_PARTS.map((part) => contactField(audience, part))),
] as const;

export const EDIT_FIELDS = CREATE_FIELDS.filter(
  (field) => field !== 'name' && field !== 'election' && field !== 'nation',
);

/** Only the fields the form has, trimmed; anything else posted is ignored. */
export const pickFormValues = (posted: URLSearchParams, fields: readonly string[]): FormValues =>
  Object.fromEntries(fields.map((field) => [field, (posted.get(field) ?? '').trim()]));

export const AUDIENCE_LABELS: Record<Audience, string> = {
  candidates: 'Candidates and agents',
  officials: 'Returning officer and electoral services',
  'polling-staff': 'Polling station and count staff',
};

const LABELS: Record<string, string> = {
  name: 'Campaign name',
  election: 'Election type',
  nation: 'Nation',
  'pollDate-day': 'Poll date',
  'organiser-name': 'Organiser name',
  'organiser-email': 'Organiser email address',
  'organiser-phone': 'Organiser phone number',
  'organiser-website': 'Organiser website',
  ...Object.fromEntries(
    AUDIENCES.flatMap((audience) => [
      [contactField(audience, 'name'), `${AUDIENCE_LABELS[audience]}: contact name`],
      [contactField(audience, 'phone'), `${AUDIENCE_LABELS[audience]}: contact phone number`],
      [contactField(audience, 'email'), `${AUDIENCE_LABELS[audience]}: contact email address`],
    ]),
  ),
};

/** The API's field names at the start of its messages ("organiser.email must be…"), longest first. */
const API_NAMES = [
  'organiser.website',
  'organiser.email',
  'organiser.phone',
  'organiser.name',
  'contact phone',
  'contact email',
  'contact name',
  'nonWorkingDays',
  'pollDate',
  'election',
  'nation',
  'name',
];

/** "organiser.email must be an email address" → "Organiser email address must be an email address". */
const personMessage = (field: string, message: string): string => {
  const label = LABELS[field] ?? field;
  const apiName = API_NAMES.find((name) => message === name || message.startsWith(`${name} `));
  if (apiName) return `${label}${message.slice(apiName.length)}`;
  if (message.startsWith('a contact needs'))
    return `${label.replace(/ phone number$/, '')} needs a phone number, an email address or both`;
  return `${label}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
};

/** The form field an API path ("organiser.email", "contacts.officials.phone") is entered in. */
export const fieldForPath = (path: string): string => {
  const parts = path.split('.');
  if (parts[0] === 'pollDate') return 'pollDate-day';
  if (parts[0] === 'organiser') return `organiser-${parts[1] ?? 'name'}`;
  if (parts[0] === 'contacts' && parts[1]) {
    const part = (CONTACT_PARTS as readonly string[]).includes(parts[2] ?? '') ? parts[2] : 'name';
    return `contacts-${parts[1]}-${part}`;
  }
  return parts[0] ?? 'name';
};

const formOrder = (field: string) => {
  const index = (CREATE_FIELDS as readonly string[]).indexOf(field);
  return index === -1 ? CREATE_FIELDS.length : index;
};

/** Issues (from zod or a core ValidationError) as form errors: one per field, in form order. */
export const fieldErrors = (issues: readonly Issue[]): FieldError[] => {
  const byField = new Map<string, string>();
  for (const issue of issues) {
    const field = fieldForPath(issue.path);
    if (!byField.has(field)) byField.set(field, personMessage(field, issue.message));
  }
  return [...byField.entries()]
    .sort(([a], [b]) => formOrder(a) - formOrder(b))
    .map(([field, message]) => ({ field, message }));
};

const zodIssues = (error: z.ZodError): Issue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));

/**
 * The poll date from the GOV.UK date input's three boxes. Missing or non-numeric parts are named the
 * way the Design System advises; a complete date goes on to the schema as YYYY-MM-DD, which checks
 * that it is real.
 */
const pollDateOf = (values: FormValues): { value?: string; error?: FieldError } => {
  const parts = {
    day: values['pollDate-day'] ?? '',
    month: values['pollDate-month'] ?? '',
    year: values['pollDate-year'] ?? '',
  };
  const missing = (['day', 'month', 'year'] as const).filter((part) => parts[part] === '');
  if (missing.length === 3) return { error: { field: 'pollDate-day', message: 'Enter the poll date' } };
  if (missing.length > 0) {
    return {
      error: {
        field: `pollDate-${missing[0]}`,
        message: `Poll date must include a ${missing.join(' and ')}`,
      },
    };
  }
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
    return {
      error: { field: 'pollDate-day', message: 'Poll date must be a real date, for example 6 5 2027' },
    };
  }
  return { value: `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}` };
};

const optional = (value: string | undefined) => (value ? value : undefined);

const organiserOf = (values: FormValues) => ({
  name: values['organiser-name'] ?? '',
  email: values['organiser-email'] ?? '',
  phone: optional(values['organiser-phone']),
  website: optional(values['organiser-website']),
});

/** A contact goes in only when something was typed for it. */
const contactsOf = (values: FormValues) =>
  Object.fromEntries(
    AUDIENCES.flatMap((audience) => {
      const [name, phone, email] = CONTACT_PARTS.map((part) => values[contactField(audience, part)] ?? '');
      if (!name && !phone && !email) return [];
      return [[audience, { name, phone: optional(phone), email: optional(email) }]];
    }),
  );

const withoutUndefined = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The date boxes' own error, if any, replaces the schema's word on the date (which saw a
 * placeholder); then one error per field, in form order.
 */
const mergeErrors = (dateError: FieldError | undefined, rest: FieldError[]): FieldError[] => {
  const all = dateError ? [dateError, ...rest.filter((error) => !error.field.startsWith('pollDate'))] : rest;
  const seen = new Set<string>();
  return all
    .filter((error) => !seen.has(error.field) && seen.add(error.field))
    .sort((a, b) => formOrder(a.field) - formOrder(b.field));
};

export type FormResult<T> = { ok: true; input: T } | { ok: false; errors: FieldError[] };

/** The create form → the API's create input, or the errors to show. */
export const parseCreateForm = (values: FormValues): FormResult<CreateCampaignInput> => {
  const date = pollDateOf(values);
  const candidate = withoutUndefined({
    name: values.name ?? '',
    election: values.election || undefined,
    nation: values.nation ?? '',
    // A placeholder that passes the schema's date check when the date boxes already have an error.
    pollDate: date.value ?? '2000-01-01',
    organiser: organiserOf(values),
    contacts: contactsOf(values),
  });
  const parsed = createCampaignSchema.safeParse(candidate);
  const schemaErrors = parsed.success ? [] : fieldErrors(zodIssues(parsed.error));
  // No election chosen: the API would take it as local, but the form asks for it.
  const electionError: FieldError[] = values.election
    ? []
    : [{ field: 'election', message: 'Select the type of election' }];
  const nationError = values.nation ? [] : [{ field: 'nation', message: 'Select the nation' }];
  const errors = mergeErrors(date.error, [
    ...electionError,
    ...nationError,
    ...schemaErrors.filter((error) => !(error.field === 'nation' && !values.nation)),
  ]);
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, input: parsed.data };
};

/**
 * The edit form → the API's update input. The poll date goes in only when it changed (an unchanged
 * date moves nothing); the organiser and contacts always (they replace the stored ones).
 */
export const parseEditForm = (values: FormValues, current: Campaign): FormResult<UpdateCampaignInput> => {
  const date = pollDateOf(values);
  const candidate = withoutUndefined({
    ...(date.value && date.value !== current.pollDate ? { pollDate: date.value } : {}),
    organiser: organiserOf(values),
    contacts: contactsOf(values),
  });
  const parsed = updateCampaignSchema.safeParse(candidate);
  const errors = mergeErrors(date.error, parsed.success ? [] : fieldErrors(zodIssues(parsed.error)));
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, input: parsed.data };
};

/** The form's values for a stored campaign, to start the edit form from. */
export const valuesOf = (campaign: Campaign): FormValues => {
  const [year, month, day] = campaign.pollDate.split('-');
  const values: FormValues = {
    name: campaign.name,
    election: campaign.election,
    nation: campaign.nation,
    'pollDate-day': String(Number(day)),
    'pollDate-month': String(Number(month)),
    'pollDate-year': year ?? '',
    'organiser-name': campaign.organiser?.name ?? '',
    'organiser-email': campaign.organiser?.email ?? '',
    'organiser-phone': campaign.organiser?.phone ?? '',
    'organiser-website': campaign.organiser?.website ?? '',
  };
  for (const audience of AUDIENCES) {
    const contact = campaign.contacts[audience];
    for (const part of CONTACT_PARTS) values[contactField(audience, part)] = contact?.[part] ?? '';
  }
  return values;
};

/**
 * Email templates: loads the sources in /templates and compiles them into SES v2 templates.
 *
 * Layout: `templates/<name>.mjml` (subject in <mj-title>, shared parts via <mj-include>) and
 * `templates/<name>.txt` (the plain-text part). The text twin of the footer the MJML includes
 * (`partials/footer*.txt`) is appended to the text and the header's (`partials/header.txt`) put on
 * top, so both parts always carry the same header and footer.
 * Names are `<stepKey>-<audience>`, plus `confirm-subscription` and `welcome` for every role.
 * No stack prefix is added here: the caller (CDK app, local emulator) does that.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mjml2html from 'mjml';
import { renderAlertMarkdown } from '../campaigns/alert-markdown';
import {
  AUDIENCES,
  type Audience,
  audienceOf,
  type Nation,
  type Role,
  rolesOf,
  roleWithArticle,
} from '../domain/roles';
import {
  type MissedReminder,
  TEMPLATE_CONTRACTS,
  type TemplateData,
  type TemplateVariable,
  templateKind,
} from './contract';
import { ALERT_TEMPLATE, CONFIRM_TEMPLATE, WELCOME_TEMPLATE } from './names';

export { ALLOWED_LINK_HOSTS, isAllowedLink } from './links';

export interface EmailTemplate {
  name: string;
  subject: string;
  html: string;
  text: string;
}

export * from './contract';
export { ALERT_TEMPLATE, CONFIRM_TEMPLATE, WELCOME_TEMPLATE };

/** Every variable this template may use (required and optional), from its contract. */
export const templateVariables = (name: string): readonly TemplateVariable[] => {
  const contract = TEMPLATE_CONTRACTS[templateKind(name)];
  return [...contract.required, ...contract.optional] as TemplateVariable[];
};

/** The variables this template may go without: each is used only inside {{#if}}. */
export const optionalVariables = (name: string): readonly TemplateVariable[] =>
  TEMPLATE_CONTRACTS[templateKind(name)].optional as readonly TemplateVariable[];

/** The list variables of this template (for {{#each}}) and the fields of their items. */
const listVariables = (name: string): Readonly<Record<string, readonly string[]>> =>
  TEMPLATE_CONTRACTS[templateKind(name)].lists as Record<string, readonly string[]>;

/** `<stepKey>-candidates` serves candidates; confirm and welcome serve everyone. */
export const templateAudiences = (name: string): Audience[] => {
  const audience = AUDIENCES.find((a) => name.endsWith(`-${a}`));
  return audience ? [audience] : [...AUDIENCES];
};

export const templateRoles = (name: string): Role[] => templateAudiences(name).flatMap(rolesOf);

/** Raised when a template source is missing, malformed or uses something SES cannot render. */
export class TemplateSourceError extends Error {
  override readonly name = 'TemplateSourceError';
  constructor(
    readonly templateName: string,
    detail: string,
  ) {
    super(`Template "${templateName}": ${detail}`);
  }
}

/** Raised when MJML rejects a template; lists each MJML error with its line. */
export class TemplateCompileError extends Error {
  override readonly name = 'TemplateCompileError';
  constructor(
    readonly templateName: string,
    readonly details: string[],
  ) {
    super(`Template "${templateName}" failed to compile from MJML:\n  ${details.join('\n  ')}`);
  }
}

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

export interface LoadOptions {
  /** Folder holding the sources; defaults to the repository's /templates. */
  dir?: string;
}

/** Template names, sorted: every `<name>.mjml` at the top of the templates folder. */
export const templateNames = (options: LoadOptions = {}): string[] =>
  readdirSync(options.dir ?? DEFAULT_TEMPLATES_DIR)
    .filter((file) => file.endsWith('.mjml'))
    .map((file) => file.slice(0, -'.mjml'.length))
    .sort();

const cache = new Map<string, EmailTemplate[]>();

/** Compiles every template (MJML → HTML) once per folder; later calls return the cached result. */
export const loadTemplates = (options: LoadOptions = {}): EmailTemplate[] => {
  const dir = options.dir ?? DEFAULT_TEMPLATES_DIR;
  let templates = cache.get(dir);
  if (!templates) {
    templates = templateNames({ dir }).map((name) => compileTemplate(dir, name));
    cache.set(dir, templates);
  }
  return templates.map((template) => ({ ...template }));
};

const compileTemplate = (dir: string, name: string): EmailTemplate => {
  const mjmlPath = join(dir, `${name}.mjml`);
  const source = readFileSync(mjmlPath, 'utf8');
  const subject = extractSubject(name, source);

  let html: string;
  try {
    // Strict validation: an unknown tag or attribute is a bug, not something to ship.
    const result = mjml2html(source, { filePath: mjmlPath, validationLevel: 'strict', keepComments: false });
    if (result.errors.length > 0) throw new TemplateCompileError(name, result.errors.map(formatMjmlError));
    html = result.html;
  } catch (error) {
    if (error instanceof TemplateCompileError) throw error;
    throw new TemplateCompileError(name, mjmlErrorDetails(error));
  }
  // mj-include reports an unreadable file as an HTML comment rather than an error.
  const includeFailure = /mj-include fails to read file[^>]*/.exec(html);
  if (includeFailure) throw new TemplateCompileError(name, [includeFailure[0].trim()]);

  // The banner naming the organiser (partials/header.mjml) has its text twin on top of the text part.
  const header = source.includes('<mj-include path="./partials/header.mjml"')
    ? `${readText(dir, name, 'partials/header.txt').trimEnd()}\n\n`
    : '';
  const text = `${header}${readText(dir, name, `${name}.txt`).trimEnd()}\n\n${readText(dir, name, textFooterOf(name, source)).trimEnd()}\n`;
  // MJML pads <title> with line breaks; make it exactly the subject (what clients and browsers show).
  html = html.trim().replace(/<title>[\s\S]*?<\/title>/, () => `<title>${escapeHtml(subject)}</title>`);
  const template = { name, subject, html, text };
  checkPlaceholders(template);
  return template;
};

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };
const decodeEntities = (value: string): string =>
  value.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_whole, entity: string) => ENTITIES[entity] ?? _whole);

const extractSubject = (name: string, source: string): string => {
  const match = /<mj-title>([\s\S]*?)<\/mj-title>/.exec(source);
  // <mj-title> holds HTML text; SES subjects are plain text.
  const subject = decodeEntities(match?.[1]?.replace(/\s+/g, ' ').trim() ?? '');
  if (!subject) throw new TemplateSourceError(name, 'no subject: add <mj-title>…</mj-title> to <mj-head>');
  return subject;
};

// The plain-text twin of the footer partial the MJML includes (partials/footer.mjml → footer.txt).
const textFooterOf = (name: string, source: string): string => {
  const footers = [...source.matchAll(/<mj-include\s+path="\.\/(partials\/footer[\w-]*)\.mjml"/g)];
  const footer = footers[0]?.[1];
  if (!footer || footers.length > 1) {
    throw new TemplateSourceError(name, 'include exactly one footer (./partials/footer*.mjml)');
  }
  return `${footer}.txt`;
};

const readText = (dir: string, name: string, file: string): string => {
  const path = join(dir, file);
  if (!existsSync(path)) throw new TemplateSourceError(name, `missing plain-text part ${file}`);
  return readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
};

/**
 * SES renders with Handlebars but allows no custom helpers or partials. Allow only the forms we
 * rely on ({{var}}, {{#if var}}, {{#unless var}}, {{else}}, {{#each list}} with {{field}} or
 * {{this.field}} inside, closing tags) and only the variables the sender supplies for this
 * template, so a typo fails at build time rather than at send time.
 */
const checkPlaceholders = (template: EmailTemplate): void => {
  const allowed = templateVariables(template.name) as readonly string[];
  const lists = listVariables(template.name);
  for (const part of ['subject', 'html', 'text'] as const) {
    const source = template[part];
    // Open blocks, innermost last; an #each block carries the fields its items have.
    const stack: { block: string; fields?: readonly string[] }[] = [];
    let count = 0;
    for (const [whole, inner = ''] of source.matchAll(/\{\{([^{}]*)\}\}/g)) {
      count += 1;
      const fail = (why: string): never => {
        throw new TemplateSourceError(template.name, `${part}: ${why} in ${whole}`);
      };
      const tag = inner.trim();
      const open = /^#(if|unless|each)\s+([\w.]+)$/.exec(tag);
      const close = /^\/(if|unless|each)$/.exec(tag);
      const plain = /^[\w.]+$/.test(tag) && tag !== 'else' ? tag : undefined;
      const reference = open?.[2] ?? plain;
      // Inside {{#each}} Handlebars looks names up on the item, so only the item's fields resolve.
      const item = stack.findLast((entry) => entry.fields)?.fields;
      if (reference) {
        if (item) {
          const field = reference.replace(/^this\./, '');
          if (!item.includes(field)) fail(`"${reference}" is not a field of the list item`);
          if (open?.[1] === 'each') fail('a list inside a list');
        } else {
          if (!/^\w+$/.test(reference)) fail('unsupported Handlebars expression');
          if (!allowed.includes(reference)) fail(`unknown variable "${reference}"`);
          const isList = Object.hasOwn(lists, reference);
          if (open?.[1] === 'each' && !isList) fail(`"${reference}" is not a list`);
          if (plain && isList) fail(`the list "${reference}" can only be used with #each or #if`);
        }
      }
      if (open?.[1]) {
        stack.push(
          open[1] === 'each' ? { block: 'each', fields: lists[open[2] ?? ''] ?? [] } : { block: open[1] },
        );
      } else if (close) {
        if (stack.pop()?.block !== close[1]) fail('unbalanced block');
      } else if (tag === 'else') {
        if (stack.length === 0) fail('{{else}} outside a block');
      } else if (!plain) fail('unsupported Handlebars expression');
    }
    if (stack.length > 0)
      throw new TemplateSourceError(template.name, `${part}: unclosed {{#${stack.at(-1)?.block}}}`);
    // Catches triple-stash and stray braces that the pattern above skipped.
    const opens = (source.match(/\{\{/g) ?? []).length;
    const closes = (source.match(/\}\}/g) ?? []).length;
    if (/\{\{\{|\}\}\}/.test(source) || opens !== count || closes !== count) {
      throw new TemplateSourceError(template.name, `${part}: stray or unsupported braces`);
    }
  }
};

const formatMjmlError = (error: {
  line?: number;
  message?: string;
  tagName?: string;
  formattedMessage?: string;
}): string =>
  error.formattedMessage ??
  `line ${error.line ?? '?'}${error.tagName ? ` <${error.tagName}>` : ''}: ${error.message ?? String(error)}`;

const mjmlErrorDetails = (error: unknown): string[] => {
  // In strict mode mjml throws a ValidationError carrying an `errors` array.
  const errors = (error as { errors?: unknown })?.errors;
  if (Array.isArray(errors) && errors.length > 0) return errors.map(formatMjmlError);
  return [error instanceof Error ? error.message : String(error)];
};

export const SAMPLE_CAMPAIGN_NAME = 'Example Borough Council local elections 2027';
export const SAMPLE_POLL_DATE = 'Thursday 6 May 2027';
export const SAMPLE_NAME = 'Priya Shah';
// example.com is reserved (RFC 2606), so preview links can never reach a real person.
const SAMPLE_BASE_URL = 'https://reminders.example.com';
export const SAMPLE_UNSUBSCRIBE_URL = `${SAMPLE_BASE_URL}/unsubscribe?token=sample-unsubscribe-token`;
export const SAMPLE_CONFIRM_URL = `${SAMPLE_BASE_URL}/confirm?token=sample-confirm-token`;
export const SAMPLE_MANAGE_URL = `${SAMPLE_BASE_URL}/manage?token=sample-manage-token`;

// Fictional: example.com is reserved, and 01632 960xxx is Ofcom's range for drama.
export const SAMPLE_ORGANISER = {
  organiserName: 'Example Borough Council',
  organiserEmail: 'elections@example.com',
  organiserPhone: '01632 960000',
  organiserTel: '01632960000',
  organiserWebsite: 'https://www.example.com/elections',
  organiserDomain: 'www.example.com',
} as const;

/** The local contact each audience is given in the samples. */
export const SAMPLE_CONTACTS: Record<
  Audience,
  { contactName: string; contactPhone: string; contactEmail: string }
> = {
  candidates: {
    contactName: 'Example Police candidate safety team',
    contactPhone: '01632 960001',
    contactEmail: 'candidate.safety@example.com',
  },
  officials: {
    contactName: 'Inspector Sam Patel, Example Police election SPOC',
    contactPhone: '01632 960002',
    contactEmail: 'election.spoc@example.com',
  },
  'polling-staff': {
    contactName: 'Example Police polling day control room',
    contactPhone: '01632 960003',
    contactEmail: 'polling.day@example.com',
  },
};

/** Where a sample campaign is: a nation, or `uk` for a UK general election (no nation flag). */
export type SampleNation = Nation | 'uk';

// The 6 May 2027 timetable in each nation (shared/timetable-facts.md, worked examples).
const SAMPLE_TIMETABLES: Record<SampleNation, { nominationsClose: string; sopnPublished: string }> = {
  england: { nominationsClose: 'Thursday 8 April 2027', sopnPublished: 'Friday 9 April 2027' },
  wales: { nominationsClose: 'Thursday 8 April 2027', sopnPublished: 'Friday 9 April 2027' },
  uk: { nominationsClose: 'Thursday 8 April 2027', sopnPublished: 'Friday 9 April 2027' },
  // Easter Monday (29 March) is disregarded in Scotland, so nominations close earlier.
  scotland: { nominationsClose: 'Friday 2 April 2027', sopnPublished: 'Monday 5 April 2027' },
  'northern-ireland': { nominationsClose: 'Tuesday 13 April 2027', sopnPublished: 'Wednesday 14 April 2027' },
};

/** The public web copy of a reminder, as the web archive serves it (no personal data). */
export const sampleWebVersionUrl = (templateName: string, role: Role): string => {
  const stepKey = templateName.replace(new RegExp(`-(${AUDIENCES.join('|')})$`), '');
  return `${SAMPLE_BASE_URL}/campaigns/sample-campaign/reminders/${stepKey}?role=${role}`;
};

// Reminders a late sign-up might have missed, per audience (titles are the templates' subjects).
const SAMPLE_MISSED: Record<Audience, { step: string; title: string }[]> = {
  candidates: [
    { step: 'secure-accounts-candidates', title: 'Secure your accounts before your profile rises' },
    { step: 'lock-down-profiles-candidates', title: 'Lock down your social media and home address' },
  ],
  officials: [
    { step: 'police-contacts-and-risks-officials', title: 'Agree police contacts and start a risk register' },
  ],
  'polling-staff': [
    { step: 'polling-station-briefing-polling-staff', title: 'Before polling day: your security briefing' },
  ],
};

/** An urgent alert as an approver might write it, rendered as the alert's sender renders it. */
export const SAMPLE_ALERT_MARKDOWN =
  'Fake emails that claim to come from the elections office are asking candidates to **confirm their nomination** through a link. We have not sent them.\n\n' +
  '- Do not click the link or reply.\n' +
  '- Report the email as described in the [NCSC advice on suspicious emails](https://www.ncsc.gov.uk/collection/phishing-scams).\n\n' +
  'If you entered a password, change it now.';
const SAMPLE_ALERT = (() => {
  const { html, text } = renderAlertMarkdown(SAMPLE_ALERT_MARKDOWN);
  return { alertSubject: 'Fake emails about your nomination', alertHtml: html, alertText: text };
})();

export interface SampleOptions {
  /** The template the data is for (default: welcome); the data holds exactly its variables. */
  template?: string;
  /** Include `name` (default true); false checks the greeting still reads well. */
  withName?: boolean;
  /** Where the campaign is (default england). */
  nation?: SampleNation;
  /** `email` (default) as sent; `web` as the web archive page shows it: no name, unsubscribe or web link. */
  channel?: 'email' | 'web';
  /** Welcome only: list earlier reminders that still apply (default false). */
  withMissed?: boolean;
  /**
   * The campaign's organiser: `full` (default: name, email, phone and website), `minimal` (name and
   * email only) or `none` (a campaign created before organisers were asked for).
   */
  organiser?: 'full' | 'minimal' | 'none';
  /** The audience's local contact: `full` (default: name, phone and email), `email-only` or `none`. */
  contact?: 'full' | 'email-only' | 'none';
}

/** Realistic data for previews and tests, holding exactly what the sender supplies for the template. */
export const sampleTemplateData = (role: Role, options: SampleOptions = {}): TemplateData => {
  const template = options.template ?? WELCOME_TEMPLATE;
  const nation = options.nation ?? 'england';
  const web = options.channel === 'web';
  const missed: MissedReminder[] = SAMPLE_MISSED[audienceOf(role)].map(({ step, title }) => ({
    title,
    url: sampleWebVersionUrl(step, role),
  }));
  const all: Required<TemplateData> = {
    ...SAMPLE_ALERT,
    name: SAMPLE_NAME,
    campaignName: SAMPLE_CAMPAIGN_NAME,
    pollDate: SAMPLE_POLL_DATE,
    role: roleWithArticle(role),
    unsubscribeUrl: SAMPLE_UNSUBSCRIBE_URL,
    confirmUrl: SAMPLE_CONFIRM_URL,
    manageUrl: SAMPLE_MANAGE_URL,
    webVersionUrl: sampleWebVersionUrl(template, role),
    ...SAMPLE_TIMETABLES[nation],
    isAgent: role === 'agent' ? 'yes' : '',
    inScotland: nation === 'scotland' ? 'yes' : '',
    inNorthernIreland: nation === 'northern-ireland' ? 'yes' : '',
    missed,
    ...SAMPLE_ORGANISER,
    ...SAMPLE_CONTACTS[audienceOf(role)],
    contactTel: SAMPLE_CONTACTS[audienceOf(role)].contactPhone.replace(/\s+/g, ''),
  };
  const organiser = options.organiser ?? 'full';
  const contact = organiser === 'none' ? 'none' : (options.contact ?? 'full');
  const left = new Set<string>([
    ...(organiser === 'none' ? Object.keys(SAMPLE_ORGANISER) : []),
    ...(organiser === 'minimal'
      ? ['organiserPhone', 'organiserTel', 'organiserWebsite', 'organiserDomain']
      : []),
    ...(contact === 'none' ? ['contactName', 'contactPhone', 'contactTel', 'contactEmail'] : []),
    ...(contact === 'email-only' ? ['contactPhone', 'contactTel'] : []),
  ]);
  const data: TemplateData = {};
  for (const variable of templateVariables(template)) {
    if (left.has(variable)) continue;
    if (variable === 'name' && (options.withName === false || web)) continue;
    if ((variable === 'unsubscribeUrl' || variable === 'manageUrl' || variable === 'webVersionUrl') && web)
      continue;
    if (variable === 'missed' && !options.withMissed) continue;
    // Flags that are false are left out, as the sender may do.
    if (all[variable] === '') continue;
    data[variable] = all[variable];
  }
  return data;
};

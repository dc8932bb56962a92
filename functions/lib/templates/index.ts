/**
 * Email templates: loads the sources in /templates and compiles them into SES v2 templates.
 *
 * Layout: `templates/<name>.mjml` (subject in <mj-title>, shared parts via <mj-include>) and
 * `templates/<name>.txt` (the plain-text part). The text twin of the footer the MJML includes
 * (`partials/footer*.txt`) is appended to the text, so both parts always carry the same footer.
 * Names are `<stepKey>-<audience>`, plus `confirm-subscription` and `welcome` for every role.
 * No stack prefix is added here: the caller (CDK app, local emulator) does that.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mjml2html from 'mjml';
import { AUDIENCES, type Audience, ROLE_LABELS, type Role, rolesOf } from '../domain/roles';
import { CONFIRM_TEMPLATE, WELCOME_TEMPLATE } from './names';

export { ALLOWED_LINK_HOSTS, isAllowedLink } from './links';

export interface EmailTemplate {
  name: string;
  subject: string;
  html: string;
  text: string;
}

/** Every variable a template may use. `name` is optional: templates must read well without it. */
export const TEMPLATE_VARIABLES = [
  'name',
  'campaignName',
  'pollDate',
  'role',
  'unsubscribeUrl',
  'confirmUrl',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateData = Partial<Record<TemplateVariable, string>>;

export const OPTIONAL_VARIABLES: readonly TemplateVariable[] = ['name'];

export { CONFIRM_TEMPLATE, WELCOME_TEMPLATE };

const REMINDER_VARIABLES: readonly TemplateVariable[] = [
  'name',
  'campaignName',
  'pollDate',
  'role',
  'unsubscribeUrl',
];
// Not subscribed yet, so no unsubscribe link (and no poll date needed).
const CONFIRM_VARIABLES: readonly TemplateVariable[] = ['name', 'campaignName', 'role', 'confirmUrl'];

/** The variables the sender must supply for this template (all but `name` are required). */
export const templateVariables = (name: string): readonly TemplateVariable[] =>
  name === CONFIRM_TEMPLATE ? CONFIRM_VARIABLES : REMINDER_VARIABLES;

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

  const text = `${readText(dir, name, `${name}.txt`).trimEnd()}\n\n${readText(dir, name, textFooterOf(name, source)).trimEnd()}\n`;
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
 * rely on ({{var}}, {{#if var}}, {{#unless var}}, {{else}}, closing tags) and only the variables
 * the sender supplies for this template, so a typo fails at build time rather than at send time.
 */
const checkPlaceholders = (template: EmailTemplate): void => {
  const allowed = templateVariables(template.name);
  for (const part of ['subject', 'html', 'text'] as const) {
    const source = template[part];
    const stack: string[] = [];
    let count = 0;
    for (const [whole, inner = ''] of source.matchAll(/\{\{([^{}]*)\}\}/g)) {
      count += 1;
      const fail = (why: string) => {
        throw new TemplateSourceError(template.name, `${part}: ${why} in ${whole}`);
      };
      const tag = inner.trim();
      const block = /^#(if|unless)\s+(\w+)$/.exec(tag);
      const close = /^\/(if|unless)$/.exec(tag);
      const variable = block?.[2] ?? (/^\w+$/.test(tag) && tag !== 'else' ? tag : undefined);
      if (variable && !(allowed as readonly string[]).includes(variable))
        fail(`unknown variable "${variable}"`);
      if (block?.[1]) stack.push(block[1]);
      else if (close) {
        if (stack.pop() !== close[1]) fail('unbalanced block');
      } else if (tag === 'else') {
        if (stack.length === 0) fail('{{else}} outside a block');
      } else if (!variable) fail('unsupported Handlebars expression');
    }
    if (stack.length > 0)
      throw new TemplateSourceError(template.name, `${part}: unclosed {{#${stack.at(-1)}}}`);
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
export const SAMPLE_UNSUBSCRIBE_URL =
  'https://reminders.example.com/unsubscribe?token=sample-unsubscribe-token';
export const SAMPLE_CONFIRM_URL = 'https://reminders.example.com/confirm?token=sample-confirm-token';

export interface SampleOptions {
  /** Include `name` (default true); false checks the greeting still reads well. */
  withName?: boolean;
  /** Limit the data to what this template uses (default: a reminder's variables). */
  template?: string;
}

/** Realistic data for previews and tests, holding exactly the variables the template uses. */
export const sampleTemplateData = (role: Role, options: SampleOptions = {}): TemplateData => {
  const all: Required<TemplateData> = {
    name: SAMPLE_NAME,
    campaignName: SAMPLE_CAMPAIGN_NAME,
    pollDate: SAMPLE_POLL_DATE,
    role: ROLE_LABELS[role],
    unsubscribeUrl: SAMPLE_UNSUBSCRIBE_URL,
    confirmUrl: SAMPLE_CONFIRM_URL,
  };
  const data: TemplateData = {};
  for (const variable of templateVariables(options.template ?? WELCOME_TEMPLATE)) {
    if (variable === 'name' && options.withName === false) continue;
    data[variable] = all[variable];
  }
  return data;
};

import nunjucks from 'nunjucks';
import { type Catalogue, loadCatalogue, type MessageParams, translate } from '../i18n/catalogue';
import { govukDistDir, viewsDir } from './paths';

let environment: nunjucks.Environment | undefined;

/** One nunjucks environment per process, autoescaping everything, templates cached after first use. */
const env = (): nunjucks.Environment => {
  environment ??= new nunjucks.Environment(
    new nunjucks.FileSystemLoader([viewsDir(), govukDistDir()], { noCache: false }),
    { autoescape: true, throwOnUndefined: false },
  );
  return environment;
};

export type PageName =
  | 'signup'
  | 'check-email'
  | 'confirm'
  | 'confirmed'
  | 'unsubscribe'
  | 'unsubscribed'
  | 'bad-link'
  | 'error'
  | 'privacy'
  | 'accessibility'
  | 'contact'
  | 'manage'
  | 'manage-data'
  | 'manage-delete'
  | 'manage-deleted';

export const PAGE_NAMES: readonly PageName[] = [
  'signup',
  'check-email',
  'confirm',
  'confirmed',
  'unsubscribe',
  'unsubscribed',
  'bad-link',
  'error',
  'privacy',
  'accessibility',
  'contact',
  'manage',
  'manage-data',
  'manage-delete',
  'manage-deleted',
];

const { SafeString } = nunjucks.runtime;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
/** Markup the views built (a link, another message) goes in as it is; everything else is escaped. */
const asHtml = (value: unknown) =>
  value instanceof SafeString ? value.toString() : escapeHtml(String(value));

/**
 * The helpers every view gets: `t(key, params)` (the one way a view says anything), and
 * `link(href, text)`, for a link inside a sentence, passed to `t` as a placeholder's value.
 */
export const viewHelpers = (catalogue: Catalogue) => ({
  t: (key: string, params: MessageParams = {}) =>
    new SafeString(translate(catalogue, key, params, { text: escapeHtml, value: asHtml })),
  link: (href: string, text: unknown) =>
    new SafeString(`<a class="govuk-link" href="${escapeHtml(href)}">${asHtml(text)}</a>`),
});

export interface RenderOptions {
  /** The words to use; the en-GB catalogue by default. */
  catalogue?: Catalogue;
}

export const renderPage = (
  name: PageName,
  context: Record<string, unknown> = {},
  options: RenderOptions = {},
): string => {
  const catalogue = options.catalogue ?? loadCatalogue();
  return env().render(`${name}.njk`, { ...context, ...viewHelpers(catalogue) });
};

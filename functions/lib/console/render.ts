import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { z } from 'zod';
import { type Catalogue, DEFAULT_LOCALE, loadCatalogue, localesDir } from '../i18n/catalogue';
import { stylesheetVersion } from '../pages/assets';
import { govukDistDir, PAGE_BUNDLE_FILES } from '../pages/paths';
import { viewHelpers } from '../pages/render';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The console's views: in the repository next to this file (and F's campaign pages in
 * `campaign/views`); in the Lambda bundle copied to `console-views/` (CONSOLE_BUNDLE_FILES).
 */
export const consoleViewsDir = (): string => {
  const found = [join(here, 'console-views'), join(here, 'views')].find((dir) => existsSync(dir));
  if (!found) throw new Error('Cannot find the console views');
  return found;
};

/**
 * What the console's bundles need: govuk-frontend's macros, CSS and images and the catalogues (as
 * the public pages have them), and the console's own views, not the public pages' views.
 */
export const CONSOLE_BUNDLE_FILES: { from: string; to: string }[] = [
  ...PAGE_BUNDLE_FILES.filter((file) => file.to !== 'views'),
  { from: 'functions/lib/console/views', to: 'console-views' },
];

let environment: nunjucks.Environment | undefined;
const env = (): nunjucks.Environment => {
  environment ??= new nunjucks.Environment(
    new nunjucks.FileSystemLoader([consoleViewsDir(), govukDistDir()], { noCache: false }),
    { autoescape: true, throwOnUndefined: false },
  );
  return environment;
};

const loaded = new Map<string, Catalogue>();

/**
 * The console's words: the public catalogue (service name, layout) plus `locales/console/<locale>.json`,
 * the console's own keys (all `console.`), kept apart so the public pages' catalogue stays theirs.
 */
export const loadConsoleCatalogue = (locale: string = DEFAULT_LOCALE): Catalogue => {
  const cached = loaded.get(locale);
  if (cached) return cached;
  const own = z
    .record(z.string().min(1), z.string())
    .parse(JSON.parse(readFileSync(join(localesDir(), 'console', `${locale}.json`), 'utf8')));
  const catalogue = Object.freeze({ ...loadCatalogue(locale), ...own });
  loaded.set(locale, catalogue);
  return catalogue;
};

let stylesheet: { text: string; version: string } | undefined;

/** The console's own small stylesheet (`views/console.css`), read once per cold start. */
export const consoleStylesheet = (): { text: string; version: string } => {
  if (!stylesheet) {
    const text = readFileSync(join(consoleViewsDir(), 'console.css'), 'utf8');
    stylesheet = { text, version: createHash('sha256').update(text).digest('hex').slice(0, 12) };
  }
  return stylesheet;
};

/** Renders a console view (`<name>.njk`) with the catalogue helpers and the stylesheet's version. */
export const renderConsoleView = (
  name: string,
  context: Record<string, unknown> = {},
  catalogue: Catalogue = loadConsoleCatalogue(),
): string =>
  env().render(`${name}.njk`, {
    stylesheetVersion: stylesheetVersion(),
    ...context,
    ...viewHelpers(catalogue),
  });

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { stylesheetVersion } from '../../pages/assets';
import { govukDistDir } from '../../pages/paths';
import { viewHelpers } from '../../pages/render';
import { consoleStylesheet, consoleViewsDir, loadConsoleCatalogue } from '../render';

/**
 * Renders the import and subscriber pages inside the console shell's layout (autoescaping
 * everything). Finds its files in the repository and in a Lambda bundle (PEOPLE_CONSOLE_BUNDLE_FILES).
 */
const here = dirname(fileURLToPath(import.meta.url));

const firstExisting = (what: string, candidates: string[]): string => {
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`Cannot find ${what}; looked in ${candidates.join(', ')}`);
  return found;
};

const viewsDir = () =>
  firstExisting('the people console views', [join(here, 'views'), join(here, 'console-people-views')]);
const assetsDir = () =>
  firstExisting('the people console assets', [join(here, 'assets'), join(here, 'console-people-assets')]);

/** What a Lambda bundle needs besides the code, as paths from the repository root → in the bundle. */
export const PEOPLE_CONSOLE_BUNDLE_FILES: { from: string; to: string }[] = [
  { from: 'functions/lib/console/people/views', to: 'console-people-views' },
  { from: 'functions/lib/console/people/assets', to: 'console-people-assets' },
];

let environment: nunjucks.Environment | undefined;
const env = () => {
  environment ??= new nunjucks.Environment(
    new nunjucks.FileSystemLoader([viewsDir(), consoleViewsDir(), govukDistDir()]),
    { autoescape: true, throwOnUndefined: false },
  );
  return environment;
};

export type PeopleView =
  | 'import-upload'
  | 'import-job'
  | 'subscribers'
  | 'subscriber-data'
  | 'subscriber-erase'
  | 'subscriber-erased';

export const renderPeopleView = (view: PeopleView, context: Record<string, unknown>): string =>
  env().render(`${view}.njk`, {
    ...context,
    errorList: context.errors,
    stylesheetVersion: stylesheetVersion(),
    consoleStylesheetVersion: consoleStylesheet().version,
    assetVersion: assetVersion(),
    ...viewHelpers(loadConsoleCatalogue()),
  });

/** The pages' one script, served by name from a fixed list, never a path. */
export const PEOPLE_ASSETS: Record<string, string> = {
  'import.js': 'text/javascript; charset=utf-8',
};

const assetCache = new Map<string, string>();
export const peopleAsset = (name: string): { body: string; type: string } | undefined => {
  const type = PEOPLE_ASSETS[name];
  if (!type) return undefined;
  let body = assetCache.get(name);
  if (body === undefined) {
    body = readFileSync(join(assetsDir(), name), 'utf8');
    assetCache.set(name, body);
  }
  return { body, type };
};

let version: string | undefined;
/** A fingerprint of the script, for its URL, so a long cache never serves an old copy. */
export const assetVersion = (): string => {
  version ??= createHash('sha256')
    .update(peopleAsset('import.js')?.body ?? '')
    .digest('hex')
    .slice(0, 12);
  return version;
};

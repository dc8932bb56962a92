import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the page templates and govuk-frontend's files both in the repository (local stack, tests)
 * and in the Lambda bundle, where esbuild puts this code in /var/task/index.mjs and the CDK app
 * copies the files next to it (see PAGE_BUNDLE_FILES).
 */
const here = dirname(fileURLToPath(import.meta.url));

const firstExisting = (what: string, candidates: string[]): string => {
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`Cannot find ${what}; looked in ${candidates.join(', ')}`);
  return found;
};

/** Our .njk views. */
export const viewsDir = (): string => firstExisting('the page views', [join(here, 'views')]);

/** govuk-frontend's `dist` folder: holds `govuk/` (macros, CSS, assets). */
export const govukDistDir = (): string =>
  firstExisting('govuk-frontend', [
    join(here, 'govuk-frontend'),
    join(here, '../../../node_modules/govuk-frontend/dist'),
    join(process.cwd(), 'node_modules/govuk-frontend/dist'),
  ]);

/**
 * What the Lambda bundle needs besides the JavaScript esbuild bundles, as paths from the repository
 * root → paths in the bundle. Only the parts of govuk-frontend the pages use (macros, CSS, images) and
 * the message catalogues.
 */
export const PAGE_BUNDLE_FILES: { from: string; to: string }[] = [
  { from: 'functions/lib/pages/views', to: 'views' },
  { from: 'node_modules/govuk-frontend/dist/govuk/components', to: 'govuk-frontend/govuk/components' },
  { from: 'node_modules/govuk-frontend/dist/govuk/macros', to: 'govuk-frontend/govuk/macros' },
  // Images only: the pages use a system font stack, so GDS Transport's files are not shipped.
  { from: 'node_modules/govuk-frontend/dist/govuk/assets/images', to: 'govuk-frontend/govuk/assets/images' },
  { from: 'functions/lib/i18n/locales', to: 'locales' },
  {
    from: 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css',
    to: 'govuk-frontend/govuk/govuk-frontend.min.css',
  },
];

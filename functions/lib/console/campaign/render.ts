import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { stylesheetVersion } from '../../pages/assets';
import { govukDistDir } from '../../pages/paths';
import { viewHelpers } from '../../pages/render';
import { consoleViewsDir, loadConsoleCatalogue } from '../render';

/**
 * Renders the campaign pages: our .njk views inside the console shell's layout, with govuk-frontend's
 * macros, autoescaping everything.
 * Finds its files in the repository and in a Lambda bundle (see CAMPAIGN_CONSOLE_BUNDLE_FILES).
 */
const here = dirname(fileURLToPath(import.meta.url));

const firstExisting = (what: string, candidates: string[]): string => {
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`Cannot find ${what}; looked in ${candidates.join(', ')}`);
  return found;
};

const viewsDir = () =>
  firstExisting('the campaign console views', [join(here, 'views'), join(here, 'console-campaign-views')]);
const assetsDir = () =>
  firstExisting('the campaign console assets', [join(here, 'assets'), join(here, 'console-campaign-assets')]);

/** What a Lambda bundle needs besides the code, as paths from the repository root → in the bundle. */
export const CAMPAIGN_CONSOLE_BUNDLE_FILES: { from: string; to: string }[] = [
  { from: 'functions/lib/console/campaign/views', to: 'console-campaign-views' },
  { from: 'functions/lib/console/campaign/assets', to: 'console-campaign-assets' },
];

let environment: nunjucks.Environment | undefined;
const env = () => {
  environment ??= new nunjucks.Environment(
    new nunjucks.FileSystemLoader([viewsDir(), consoleViewsDir(), govukDistDir()]),
    {
      autoescape: true,
      throwOnUndefined: false,
    },
  );
  return environment;
};

export type CampaignView = 'form' | 'check' | 'show' | 'preview' | 'cancel' | 'problem' | 'alert';

export const renderCampaignView = (view: CampaignView, context: Record<string, unknown>): string =>
  env().render(`campaign-${view}.njk`, {
    ...context,
    // The console shell's layout: full width, the campaigns item current, its words.
    wide: true,
    section: 'campaigns',
    errorList: context.errors,
    stylesheetVersion: stylesheetVersion(),
    assetVersion: assetVersion(),
    ...viewHelpers(loadConsoleCatalogue()),
  });

/** The campaign pages' own stylesheet and script: served by name from a fixed list, never a path. */
export const CAMPAIGN_ASSETS: Record<string, string> = {
  'campaign.css': 'text/css; charset=utf-8',
  'delivery.js': 'text/javascript; charset=utf-8',
};

const assetCache = new Map<string, string>();
export const campaignAsset = (name: string): { body: string; type: string } | undefined => {
  const type = CAMPAIGN_ASSETS[name];
  if (!type) return undefined;
  let body = assetCache.get(name);
  if (body === undefined) {
    body = readFileSync(join(assetsDir(), name), 'utf8');
    assetCache.set(name, body);
  }
  return { body, type };
};

let version: string | undefined;
/** A fingerprint of both assets, for their URLs, so a long cache never serves an old copy. */
export const assetVersion = (): string => {
  version ??= createHash('sha256')
    .update(
      Object.keys(CAMPAIGN_ASSETS)
        .map((name) => campaignAsset(name)?.body ?? '')
        .join('\0'),
    )
    .digest('hex')
    .slice(0, 12);
  return version;
};

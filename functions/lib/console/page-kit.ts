import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { stylesheetVersion } from '../pages/assets';
import { govukDistDir } from '../pages/paths';
import { viewHelpers } from '../pages/render';
import { consoleViewsDir, loadConsoleCatalogue } from './render';

export interface ConsolePageKitOptions {
  /** The folder's name under functions/lib/console (`campaign`, `people`). */
  name: string;
  /** The folder holding `views/` and `assets/` in the repository (the bundle copies sit beside it). */
  here: string;
  /** The pages' own files, served by name from this fixed list (name → content type), never a path. */
  assets: Record<string, string>;
  /** What every view of this kit gets besides the shared context. */
  context?: () => Record<string, unknown>;
}

const firstExisting = (what: string, candidates: string[]): string => {
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`Cannot find ${what}; looked in ${candidates.join(', ')}`);
  return found;
};

/**
 * A set of console pages: their .njk views inside the console shell's layout (with govuk-frontend's
 * macros, autoescaping everything), their own assets with a fingerprint for long caching, and the
 * files a Lambda bundle needs. Finds its files in the repository and in a bundle alike.
 */
export const consolePageKit = ({ name, here, assets, context }: ConsolePageKitOptions) => {
  const viewsDir = () =>
    firstExisting(`the ${name} console views`, [join(here, 'views'), join(here, `console-${name}-views`)]);
  const assetsDir = () =>
    firstExisting(`the ${name} console assets`, [join(here, 'assets'), join(here, `console-${name}-assets`)]);

  let environment: nunjucks.Environment | undefined;
  const env = () => {
    environment ??= new nunjucks.Environment(
      new nunjucks.FileSystemLoader([viewsDir(), consoleViewsDir(), govukDistDir()]),
      { autoescape: true, throwOnUndefined: false },
    );
    return environment;
  };

  const assetCache = new Map<string, string>();
  const asset = (file: string): { body: string; type: string } | undefined => {
    const type = assets[file];
    if (!type) return undefined;
    let body = assetCache.get(file);
    if (body === undefined) {
      body = readFileSync(join(assetsDir(), file), 'utf8');
      assetCache.set(file, body);
    }
    return { body, type };
  };

  let version: string | undefined;
  /** A fingerprint of every asset, for their URLs, so a long cache never serves an old copy. */
  const assetVersion = (): string => {
    version ??= createHash('sha256')
      .update(
        Object.keys(assets)
          .map((file) => asset(file)?.body ?? '')
          .join('\0'),
      )
      .digest('hex')
      .slice(0, 12);
    return version;
  };

  return {
    /** What a Lambda bundle needs besides the code, as paths from the repository root → in the bundle. */
    bundleFiles: [
      { from: `functions/lib/console/${name}/views`, to: `console-${name}-views` },
      { from: `functions/lib/console/${name}/assets`, to: `console-${name}-assets` },
    ],
    render: (viewFile: string, viewContext: Record<string, unknown>): string =>
      env().render(viewFile, {
        ...viewContext,
        ...context?.(),
        errorList: viewContext.errors,
        stylesheetVersion: stylesheetVersion(),
        assetVersion: assetVersion(),
        ...viewHelpers(loadConsoleCatalogue()),
      }),
    asset,
    assetVersion,
  };
};

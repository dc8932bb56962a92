import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consolePageKit } from '../page-kit';
import { consoleStylesheet } from '../render';

/** The import and subscriber pages, inside the console shell's layout. */
const kit = consolePageKit({
  name: 'people',
  here: dirname(fileURLToPath(import.meta.url)),
  // The pages' one script.
  assets: { 'import.js': 'text/javascript; charset=utf-8' },
  context: () => ({ consoleStylesheetVersion: consoleStylesheet().version }),
});

export const PEOPLE_CONSOLE_BUNDLE_FILES = kit.bundleFiles;

export type PeopleView =
  | 'import-upload'
  | 'import-job'
  | 'subscribers'
  | 'subscriber-data'
  | 'subscriber-erase'
  | 'subscriber-erased';

export const renderPeopleView = (view: PeopleView, context: Record<string, unknown>): string =>
  kit.render(`${view}.njk`, context);

export const peopleAsset = kit.asset;

import nunjucks from 'nunjucks';
import { govukDistDir, viewsDir } from './paths';

const SERVICE_NAME = 'Election security reminders';

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
  | 'error';

export const renderPage = (name: PageName, context: Record<string, unknown> = {}): string =>
  env().render(`${name}.njk`, { serviceName: SERVICE_NAME, ...context });

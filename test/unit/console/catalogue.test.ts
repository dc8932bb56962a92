/**
 * The console says everything through its catalogue: each view rendered with a bracketed
 * pseudo-locale shows nothing outside brackets but data, and every key the views name exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  consoleViewsDir,
  loadConsoleCatalogue,
  renderConsoleView,
} from '../../../functions/lib/console/render';
import { signInEmail } from '../../../functions/lib/console/sign-in-email';
import type { Catalogue } from '../../../functions/lib/i18n/catalogue';

const OPEN = '⟦';
const CLOSE = '⟧';
const pseudo: Catalogue = Object.fromEntries(
  Object.entries(loadConsoleCatalogue()).map(([key, value]) => [
    key,
    key === 'meta.lang' ? value : `${OPEN}${value}${CLOSE}`,
  ]),
);

const readerText = (html: string) =>
  [
    html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, ' '),
    ...[...html.matchAll(/\s(?:aria-label|alt|title|placeholder|data-label)="([^"]*)"/g)].map((m) => m[1]),
  ]
    .join(' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, ' ');

const outside = (html: string, data: string[]) => {
  const bracketed = new RegExp(`${OPEN}[^${OPEN}${CLOSE}]*${CLOSE}`, 'g');
  let rest = readerText(html);
  while (bracketed.test(rest)) rest = rest.replace(bracketed, ' ');
  for (const value of [...data].sort((a, b) => b.length - a.length)) rest = rest.split(value).join(' ');
  return rest.split(/\s+/).filter((word) => word !== '' && !/^[\d.,:()/–-]+$/.test(word));
};

const admin = { email: 'alice@example.org', role: 'editor' as const };
const shell = { admin, csrfToken: 'csrf' };
const line = {
  id: 'c1',
  name: 'Anytown council 2027',
  election: 'local council',
  nation: 'England',
  pollDate: 'Thursday 6 May 2027',
  status: 'open',
  nextSend: '25 March 2027 at 9am',
  counts: [{ role: 'candidate', count: 3 }],
  total: 3,
};
const entry = {
  at: '2027-03-01T12:00:00.000Z',
  actor: 'alice@example.org',
  action: 'x',
  label: 'Signed in',
  campaignId: 'c1',
  detail: { reason: 'not-allowed' },
};

const CONTEXTS: Record<string, Record<string, unknown>[]> = {
  'sign-in': [{ csrfToken: 'x' }, { csrfToken: 'x', email: 'nope', errorKey: 'console.signIn.errorFormat' }],
  'sign-in-sent': [{ email: 'jo@example.org', minutes: 15 }],
  'sign-in-link': [{ token: 't', csrfToken: 'x' }],
  'bad-link': [{}],
  forbidden: [
    { reason: 'csrf' },
    { reason: 'signed-out' },
    { reason: 'role', ...shell },
    { reason: 'csrf', ...shell },
  ],
  'not-found': [{}, shell],
  error: [{}],
  'sign-out': [shell],
  'signed-out': [{}],
  campaigns: [
    { campaigns: [line], ...shell },
    { campaigns: [], ...shell },
    { campaigns: [{ ...line, nextSend: undefined }], admin: { ...admin, role: 'viewer' }, csrfToken: 'x' },
  ],
  audit: [
    { entries: [entry, { ...entry, actor: 'unknown' }], ...shell },
    { entries: [], campaign: { id: 'c1', name: 'Anytown council 2027' }, ...shell },
  ],
  'sign-in-email': [{ url: 'https://reminders.example.org/console/sign-in/link?token=t', minutes: 15 }],
};
const DATA = [
  'alice@example.org',
  'jo@example.org',
  'nope',
  'Anytown council 2027',
  'local council',
  'England',
  'Thursday 6 May 2027',
  '25 March 2027 at 9am',
  'Signed in',
  'not-allowed',
  'reason',
  'c1',
  '2027-03-01 12:00:00',
  'https://reminders.example.org/console/sign-in/link?token=t',
];

describe('the console says everything through its catalogue', () => {
  it('renders every view in a bracketed pseudo-locale with nothing outside brackets but data', () => {
    const views = readdirSync(consoleViewsDir())
      .filter((file) => file.endsWith('.njk') && file !== 'console-layout.njk')
      .map((file) => file.slice(0, -4));
    expect(views.sort()).toEqual(Object.keys(CONTEXTS).sort());
    for (const [view, contexts] of Object.entries(CONTEXTS)) {
      for (const context of contexts) {
        expect(outside(renderConsoleView(view, context, pseudo), DATA), view).toEqual([]);
      }
    }
  });

  it('has every key the views name', () => {
    const catalogue = loadConsoleCatalogue();
    const dir = consoleViewsDir();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.njk'))) {
      for (const [, key] of readFileSync(join(dir, file), 'utf8').matchAll(/t\("([\w.-]+)"\s*[,)]/g)) {
        expect(catalogue[key as string], `${file}: ${key}`).toBeDefined();
      }
    }
  });

  it('writes the sign-in email from the catalogue, the link in both parts', () => {
    const email = signInEmail({
      url: 'https://reminders.example.org/console/sign-in/link?token=t',
      minutes: 15,
    });
    expect(email.subject).toBe(loadConsoleCatalogue()['console.email.subject']);
    expect(email.text).toContain('https://reminders.example.org/console/sign-in/link?token=t');
    expect(email.text).toContain('15 minutes');
    expect(email.html).toContain('href="https://reminders.example.org/console/sign-in/link?token=t"');
  });
});

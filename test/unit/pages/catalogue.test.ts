/**
 * The pages' message catalogue: every page renders from it alone. A pseudo-locale whose every value
 * is bracketed renders each page (with the same context builders the routes use), and no visible
 * or announced text may fall outside brackets except the data the page shows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../functions/lib/domain/roles';
import { toIssues } from '../../../functions/lib/http/validate';
import {
  availableLocales,
  type Catalogue,
  keyOfEnglishMessage,
  loadCatalogue,
  MissingMessageError,
  placeholdersOf,
  translate,
} from '../../../functions/lib/i18n/catalogue';
import {
  accessibilityContext,
  checkEmailContext,
  confirmContext,
  confirmedContext,
  contactContext,
  privacyContext,
  signupContext,
  unsubscribeContext,
} from '../../../functions/lib/pages/contexts';
import {
  dateOnly,
  dateTime,
  manageContext,
  manageDataContext,
  managePaths,
} from '../../../functions/lib/pages/manage-contexts';
import { viewsDir } from '../../../functions/lib/pages/paths';
import { PAGE_NAMES, type PageName, renderPage } from '../../../functions/lib/pages/render';
import type { SubjectData } from '../../../functions/lib/subjects/model';
import type { ManageState } from '../../../functions/lib/subscriptions/manage';
import {
  SUBSCRIPTION_SOURCES,
  SUBSCRIPTION_STATUSES,
  type Subscription,
} from '../../../functions/lib/subscriptions/model';
import { signupSchema } from '../../../functions/lib/subscriptions/schema';
import { MILESTONE_KEYS } from '../../../functions/lib/timetable/timetable';
import { createOpenCampaign } from '../../support/campaigns';
import { makeDeps, ORGANISER } from '../campaigns/fakes';

const enGB = loadCatalogue('en-GB');
const OPEN = '⟦';
const CLOSE = '⟧';
const pseudo: Catalogue = Object.fromEntries(
  Object.entries(enGB).map(([key, value]) => [key, key === 'meta.lang' ? value : `${OPEN}${value}${CLOSE}`]),
);

/** Every sign-up validation message, provoked: blank, wrong and too long of each field. */
const schemaMessages = (): string[] => {
  const inputs: unknown[] = [
    {},
    { email: '', name: 5, role: 'wizard', campaignId: '', consent: false },
    { email: 'not-an-email', name: 'Urgent. Reset it', campaignId: 'x'.repeat(101) },
    { email: `${'a'.repeat(250)}@example.org`, name: 'a'.repeat(71) },
  ];
  return [
    ...new Set(
      inputs.flatMap((input) => {
        const result = signupSchema.safeParse(input);
        return result.success ? [] : toIssues(result.error).map((issue) => issue.message);
      }),
    ),
  ];
};

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const decode = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] as string);

/** What a reader sees or hears: the text (tags dropped: a message may hold a link), and the attributes screen readers announce. */
const readerText = (html: string): string => {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  const attributes = [...withoutComments.matchAll(/\s(?:aria-label|alt|title|placeholder)="([^"]*)"/g)].map(
    (match) => match[1] as string,
  );
  return decode([withoutComments.replace(/<[^>]*>/g, ' '), ...attributes].join(' '));
};

/** The words left once every bracketed message (innermost first: messages nest) and all the data go. */
const outsideMessages = (html: string, data: string[]): string[] => {
  const bracketed = new RegExp(`${OPEN}[^${OPEN}${CLOSE}]*${CLOSE}`, 'g');
  let rest = readerText(html);
  while (bracketed.test(rest)) rest = rest.replace(bracketed, ' ');
  for (const value of [...data].sort((a, b) => b.length - a.length)) rest = rest.split(value).join(' ');
  return rest.split(/\s+/).filter((word) => word !== '');
};

const NOW = new Date('2027-04-20T12:00:00Z');
/** A date no other page shows, so removing it as data removes nothing else. */
const EXPIRY = '2031-01-15T12:00:00Z';
const page = async () => {
  const deps = makeDeps(NOW.toISOString());
  const { campaign } = await createOpenCampaign(deps, {
    name: 'Anytown council 2027',
    pollDate: '2027-05-06',
    nation: 'england',
    organiser: ORGANISER,
  });
  const publicCampaign = {
    id: campaign.id,
    name: campaign.name,
    pollDate: campaign.pollDate,
    organiser: { name: ORGANISER.name },
  };
  const sources = [
    'form',
    'api',
    'import',
    'email-link',
    'one-click',
    'bounce',
    'complaint',
    'self-service',
  ] as const;
  const events = [
    'signed-up',
    'signed-up-again',
    'confirmed',
    'change-confirmed',
    'unsubscribed',
    'unsubscribed-all',
    'role-changed',
    'joined',
  ] as const;
  const subscriptionOf = (status: Subscription['status'], role: Role): Subscription => ({
    emailHmac: 'abc123',
    campaignId: campaign.id,
    ...(status === 'unsubscribed' ? {} : { email: 'jo@example.org', name: 'Jo Smith' }),
    role,
    status,
    source: 'form',
    consentAt: NOW.toISOString(),
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    history: events.map((event, i) => ({
      at: NOW.toISOString(),
      event,
      source: sources[i % sources.length] as Subscription['source'],
    })),
    expiresAt: Math.floor(Date.parse(EXPIRY) / 1000),
    version: 1,
  });
  const manageState: ManageState = {
    claims: { purpose: 'manage', emailHmac: 'abc123', campaignId: campaign.id },
    email: 'jo@example.org',
    subscriptions: [
      ...ROLES.map((role) => ({ subscription: subscriptionOf('confirmed', role), campaign })),
      { subscription: subscriptionOf('pending', 'agent'), campaign },
      { subscription: subscriptionOf('unsubscribed', 'agent') },
    ],
    joinable: [publicCampaign],
  };
  const heldData: SubjectData = {
    emailHmac: 'abc123',
    subscriptions: [
      subscriptionOf('confirmed', 'candidate'),
      ...sources.map((source) => ({ ...subscriptionOf('unsubscribed', 'agent'), source })),
    ],
    confirmationThrottles: [],
    deliveries: [
      {
        campaignId: campaign.id,
        stepKey: campaign.steps[0]?.key ?? 'x',
        claimedAt: NOW.toISOString(),
        outcomes: [
          { status: 'sent', messageId: 'm' },
          { status: 'failed', reason: 'r' },
          { status: 'suppressed', reason: 'r' },
          { status: 'retry', reason: 'r' },
        ],
      },
    ],
    suppression: { reason: 'bounce', suppressedAt: NOW.toISOString() },
  };
  const invalid = signupSchema.safeParse({ email: 'x', name: 'a.b', consent: false });
  if (invalid.success) throw new Error('expected invalid sign-up');
  const signupIssues = [...toIssues(invalid.error), { path: 'campaignId', message: 'Not in the catalogue' }];
  const contexts: Record<PageName, Record<string, unknown>[]> = {
    signup: [
      signupContext([publicCampaign], 30),
      signupContext([publicCampaign], 30, { email: 'x', name: 'a.b' }, signupIssues),
      signupContext([], 30),
    ],
    'check-email': [
      checkEmailContext({
        email: 'jo@example.org',
        campaign: publicCampaign,
        senderEmail: 'reminders@anytown.example',
        dailyLimit: 3,
      }),
      checkEmailContext({
        email: 'jo@example.org',
        campaign: { ...publicCampaign, organiser: undefined },
        dailyLimit: 3,
      }),
    ],
    confirm: ROLES.map((role) =>
      confirmContext({ token: 'v1.a.b', campaign, role, email: 'jo.smith@example.org' }),
    ),
    confirmed: ROLES.map((role) => confirmedContext(campaign, role, NOW)),
    unsubscribe: [unsubscribeContext('v1.a.b', campaign), unsubscribeContext('v1.a.b', undefined)],
    unsubscribed: [{ scope: 'campaign' }, { scope: 'all' }],
    'bad-link': [{ purpose: 'confirm' }, { purpose: 'unsubscribe' }],
    error: [{}],
    privacy: [privacyContext([campaign], 30), privacyContext([], 30)],
    accessibility: [accessibilityContext()],
    contact: [contactContext([campaign]), contactContext([])],
    manage: [
      manageContext('v1.a.b', manageState, { done: 'role' }),
      manageContext('v1.a.b', manageState, { done: 'join' }),
      manageContext('v1.a.b', manageState, { done: 'leave' }),
      manageContext('v1.a.b', manageState, { done: 'leave-all' }),
      ...(['invalid', 'not-subscribed', 'closed', 'no-address'] as const).map((error) =>
        manageContext('v1.a.b', manageState, { error }),
      ),
      manageContext('v1.a.b', { ...manageState, email: undefined }),
      manageContext('v1.a.b', { ...manageState, subscriptions: [], joinable: [] }),
    ],
    'manage-data': [
      manageDataContext('v1.a.b', heldData, new Map([[campaign.id, campaign]])),
      manageDataContext(
        'v1.a.b',
        { emailHmac: 'abc123', subscriptions: [], confirmationThrottles: [], deliveries: [] },
        new Map(),
      ),
    ],
    'manage-delete': [{ token: 'v1.a.b', ...managePaths('v1.a.b') }],
    'manage-deleted': [{}],
  };
  // The data pages show: names, addresses, dates, step titles, numbers.
  const data = [
    campaign.name,
    ORGANISER.name,
    ORGANISER.email,
    ...(ORGANISER.phone ? [ORGANISER.phone] : []),
    ...(ORGANISER.website ? [new URL(ORGANISER.website).hostname] : []),
    'jo@example.org',
    'reminders@anytown.example',
    'j•••@example.org',
    'a.b',
    'Jo Smith',
    'abc123',
    campaign.id,
    // The warning text's icon glyph (aria-hidden), drawn by the component.
    '!',
    dateTime(NOW.toISOString()),
    dateOnly(EXPIRY),
    // An issue the catalogue lacks is shown as the schema wrote it.
    'Not in the catalogue',
    ...campaign.steps.map((step) => step.title),
    ...campaign.steps.map((step) => step.date),
  ];
  return { contexts, data };
};

/** Dates as the pages write them ("Thursday 6 May 2027"), numbers and punctuation alone are data too. */
const DATE = /\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ \d{4}\b/g;
const withoutDatesAndNumbers = (words: string[]) =>
  words
    .join(' ')
    .replace(DATE, ' ')
    .split(/\s+/)
    .filter((word) => word !== '' && !/^[\d.,:()/–-]+$/.test(word));

describe('pages say everything through the message catalogue', () => {
  it('renders every page in a bracketed pseudo-locale with nothing outside brackets but data', async () => {
    const { contexts, data } = await page();
    expect(Object.keys(contexts).sort()).toEqual([...PAGE_NAMES].sort());
    for (const name of PAGE_NAMES) {
      for (const [i, context] of (contexts[name] ?? []).entries()) {
        const html = renderPage(
          name,
          { stylesheetVersion: 'v', pendingDays: 7, ...context },
          { catalogue: pseudo },
        );
        expect(withoutDatesAndNumbers(outsideMessages(html, data)), `${name} #${i}`).toEqual([]);
      }
    }
  });

  it('has every key the views name, and every role and milestone key the pages look up', () => {
    const used = readdirSync(viewsDir())
      .filter((file) => file.endsWith('.njk'))
      .flatMap((file) =>
        [...readFileSync(join(viewsDir(), file), 'utf8').matchAll(/\bt\(\s*"([^"]+)"\s*[,)]/g)].map(
          (m) => m[1] as string,
        ),
      );
    expect(used.length).toBeGreaterThan(100);
    const dynamic = [
      ...ROLES.flatMap((role) => ['label', 'hint', 'withArticle'].map((part) => `role.${role}.${part}`)),
      ...MILESTONE_KEYS.map((key) => `milestone.${key}`),
      // The manage pages look these up by the value they show.
      ...SUBSCRIPTION_STATUSES.map((status) => `manage.statusValue.${status}`),
      ...['role', 'join', 'leave', 'leave-all'].map((done) => `manage.done.${done}`),
      ...['invalid', 'not-subscribed', 'closed', 'no-address'].map((error) => `manage.error.${error}`),
      ...[
        'signed-up',
        'signed-up-again',
        'confirmed',
        'change-confirmed',
        'unsubscribed',
        'unsubscribed-all',
        'role-changed',
        'joined',
      ].map((event) => `manageData.event.${event}`),
      ...SUBSCRIPTION_SOURCES.map((source) => `manageData.sourceValue.${source}`),
      ...['sent', 'failed', 'suppressed', 'retry'].map((outcome) => `manageData.outcome.${outcome}`),
    ];
    const missing = [...new Set([...used, ...dynamic])].filter((key) => !(key in enGB));
    expect(missing).toEqual([]);
    // And nothing in the catalogue that no page says (validation messages are looked up by text).
    const unused = Object.keys(enGB).filter(
      (key) => !used.includes(key) && !dynamic.includes(key) && !key.startsWith('signup.error.'),
    );
    expect(unused).toEqual([]);
  });

  it('shows every sign-up validation message by its key', () => {
    const messages = schemaMessages();
    expect(messages.length).toBeGreaterThanOrEqual(8);
    expect(messages.filter((message) => !keyOfEnglishMessage(message, 'signup.error.'))).toEqual([]);
  });

  it('names the confirmation email’s subject as the template does', () => {
    const mjml = readFileSync('templates/confirm-subscription.mjml', 'utf8');
    const title = /<mj-title>([^<]*)<\/mj-title>/.exec(mjml)?.[1];
    expect(enGB['checkEmail.subjectValue']).toBe(title);
  });

  it('gives every locale the same keys and placeholders as en-GB', () => {
    expect(availableLocales()).toContain('en-GB');
    for (const locale of availableLocales()) {
      const catalogue = loadCatalogue(locale);
      expect(Object.keys(catalogue).sort(), locale).toEqual(Object.keys(enGB).sort());
      for (const [key, value] of Object.entries(enGB)) {
        expect(placeholdersOf(catalogue[key] as string).sort(), `${locale} ${key}`).toEqual(
          placeholdersOf(value).sort(),
        );
      }
    }
  });
});

describe('translate', () => {
  const catalogue = { greet: 'Hello {name}, you are {role}.', plain: "It's {n} o'clock" };

  it('fills placeholders, formatting values and words separately', () => {
    expect(translate(catalogue, 'greet', { name: 'Jo', role: 'a candidate' })).toBe(
      'Hello Jo, you are a candidate.',
    );
    expect(
      translate(
        catalogue,
        'plain',
        { n: 5 },
        { text: (t) => t.toUpperCase(), value: (v) => `<${String(v)}>` },
      ),
    ).toBe("IT'S <5> O'CLOCK");
  });

  it('refuses a missing key or a missing value, rather than show a key or a hole', () => {
    expect(() => translate(catalogue, 'nope')).toThrow(MissingMessageError);
    expect(() => translate(catalogue, 'greet', { name: 'Jo' })).toThrow(/needs a value for \{role\}/);
  });

  it('escapes data in the pages: a name cannot become markup', async () => {
    const html = renderPage('confirmed', {
      campaignName: '<script>alert(1)</script>',
      pollDate: 'Thursday 6 May 2027',
      role: 'candidate',
      reminders: [],
      milestones: [],
      calendarUrl: '/c',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('refuses a locale that is not one', () => {
    expect(() => loadCatalogue('../../etc/passwd')).toThrow(/Not a locale/);
  });
});

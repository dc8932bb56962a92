/**
 * The subscriber journey over HTTP against the whole local stack: sign up, confirm from the emailed
 * link, leave with one click; plus what must never happen (enumeration, email floods, bad links
 * that change something, bad input that writes something).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../local/stack';
import { bootLocalStack } from '../support/local-stack';
import {
  header,
  journeyItems,
  linkIn,
  postForm,
  postJson,
  seedCampaign,
  sentSince,
  sesMark,
  emailsTo as storedEmailsTo,
  tableClient,
} from '../support/subscriptions';

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDate = (instant: Date) => instant.toISOString().slice(0, 10);

describe('subscriber journey (local stack)', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let api: string;
  let ses: string;
  let db: ReturnType<typeof tableClient>;
  const campaign = {
    id: 'locals-2027',
    name: 'Local elections 2027',
    pollDate: isoDate(new Date(Date.now() + 200 * DAY_MS)),
  };
  const other = {
    id: 'mayor-2027',
    name: 'Mayoral election 2027',
    pollDate: isoDate(new Date(Date.now() + 210 * DAY_MS)),
  };
  let counter = 0;
  let mark = 0;
  /** Confirmation emails go out through a queue: let its consumer finish before reading the inbox. */
  const settle = () => local.stack.emulator.drain();
  /** Emails sent since the current test began. */
  const sesStore = async (_endpoint: string) => {
    await settle();
    return sentSince(ses, mark);
  };
  const emailsTo = async (...args: Parameters<typeof storedEmailsTo>) => {
    await settle();
    return storedEmailsTo(...args);
  };
  const uniqueEmail = (label: string) => `${label}-${++counter}@example.org`;

  const signUp = (email: string, overrides: Record<string, unknown> = {}) =>
    postJson(`${api}/subscriptions`, {
      email,
      role: 'candidate',
      campaignId: campaign.id,
      consent: true,
      ...overrides,
    });

  const confirmTokenFor = async (email: string) => {
    const [latest] = (await emailsTo(ses, email, mark))
      .filter((m) => m.subject.startsWith('Confirm'))
      .slice(-1);
    if (!latest) throw new Error('no confirmation email');
    return new URL(linkIn(latest, '/subscriptions/confirm')).searchParams.get('token') as string;
  };

  const unsubscribeLinkFor = async (email: string) => {
    const [welcome] = (await emailsTo(ses, email, mark)).filter((m) =>
      m.subject.startsWith('You are signed up'),
    );
    if (!welcome) throw new Error('no welcome email');
    return (header(welcome, 'List-Unsubscribe') as string).replace(/^<|>$/g, '');
  };

  const subscribeAndConfirm = async (email: string, campaignId = campaign.id) => {
    expect((await signUp(email, { campaignId })).status).toBe(202);
    const response = await postForm(`${api}/subscriptions/confirm`, { token: await confirmTokenFor(email) });
    expect(response.status).toBe(200);
  };

  const itemsNow = async () => journeyItems(db, LOCAL_TABLE_NAME);
  const subscriptionItems = async () =>
    (await itemsNow()).filter((item) => String(item.sk).startsWith('CAMPAIGN#'));

  beforeAll(async () => {
    local = await bootLocalStack();
    api = local.stack.apiUrl;
    ses = local.stack.sesEndpoint;
    db = tableClient(local.stack.dynamodbEndpoint);
    await seedCampaign(db, LOCAL_TABLE_NAME, campaign);
    await seedCampaign(db, LOCAL_TABLE_NAME, other);
    await seedCampaign(db, LOCAL_TABLE_NAME, {
      id: 'closed-2026',
      name: 'Closed',
      pollDate: other.pollDate,
      status: 'closed',
    });
  });
  afterAll(async () => {
    db?.destroy();
    await local?.stop();
  });
  beforeEach(async () => {
    await settle();
    mark = await sesMark(ses);
  });

  it('signs up, confirms from the emailed link and leaves with one click', async () => {
    const email = 'Jo.Candidate@Example.org';

    // Sign up (JSON): 202 pending, one confirmation email to the normalised address.
    const signup = await signUp(` ${email} `, { name: 'Jo' });
    expect(signup.status).toBe(202);
    expect(await signup.json()).toEqual({ status: 'pending' });
    const [confirmation, ...more] = await sesStore(ses);
    expect(more).toEqual([]);
    expect(confirmation?.destination.to).toEqual(['jo.candidate@example.org']);
    // The seeded campaign predates organisers: the service's own name, and no Reply-To.
    expect(confirmation?.from).toBe('"Election security reminders" <reminders@localhost.test>');
    expect(confirmation?.replyTo).toEqual([]);
    expect(confirmation?.body.text).toContain(campaign.name);
    expect(confirmation?.body.text).toContain('candidate');
    const confirmLink = linkIn(confirmation as NonNullable<typeof confirmation>, '/subscriptions/confirm');
    expect(confirmLink.startsWith(`${api}/subscriptions/confirm?token=`)).toBe(true);
    expect(confirmLink.toLowerCase()).not.toContain('example.org');
    const [pending] = await subscriptionItems();
    expect(pending).toMatchObject({
      status: 'pending',
      role: 'candidate',
      source: 'api',
      email: 'jo.candidate@example.org',
    });
    expect(pending?.audiencePk).toBeUndefined();
    expect(String(pending?.pk)).toMatch(/^SUB#[0-9a-f]{64}$/);

    // A link scanner's GET shows a button and changes nothing.
    const confirmPage = await fetch(confirmLink);
    expect(confirmPage.status).toBe(200);
    const confirmHtml = await confirmPage.text();
    expect(confirmHtml).toMatch(/<button[^>]*type="submit"[^>]*>\s*Confirm\s*<\/button>/);
    expect(await subscriptionItems()).toEqual([pending]);

    // Confirm by POST: subscribed page, audience index set, welcome email with both unsubscribe headers.
    const token = new URL(confirmLink).searchParams.get('token') as string;
    const confirmed = await postForm(`${api}/subscriptions/confirm`, { token });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You are signed up');
    const [subscribed] = await subscriptionItems();
    expect(subscribed).toMatchObject({
      status: 'confirmed',
      audiencePk: `AUDIENCE#${campaign.id}#candidate`,
      audienceSk: String(pending?.pk).slice('SUB#'.length),
    });
    expect(subscribed?.expiresAt).toBe(Date.parse(`${campaign.pollDate}T00:00:00Z`) / 1000 + 31 * 86400);
    const welcome = (await sesStore(ses)).find((m) => m.subject.startsWith('You are signed up'));
    expect(welcome?.destination.to).toEqual(['jo.candidate@example.org']);
    const unsubscribeUrl = (header(welcome as NonNullable<typeof welcome>, 'List-Unsubscribe') ?? '').replace(
      /^<|>$/g,
      '',
    );
    expect(unsubscribeUrl.startsWith(`${api}/unsubscribe?token=`)).toBe(true);
    expect(header(welcome as NonNullable<typeof welcome>, 'List-Unsubscribe-Post')).toBe(
      'List-Unsubscribe=One-Click',
    );
    expect(welcome?.body.text).toContain(unsubscribeUrl);

    // The unsubscribe page (GET) offers two buttons and changes nothing.
    const unsubscribePage = await fetch(unsubscribeUrl);
    expect(unsubscribePage.status).toBe(200);
    const unsubscribeHtml = await unsubscribePage.text();
    expect(unsubscribeHtml).toContain('Unsubscribe from this election');
    expect(unsubscribeHtml).toContain('Unsubscribe from every election');
    expect((await subscriptionItems())[0]?.status).toBe('confirmed');

    // RFC 8058 one-click POST: unsubscribed at once, out of the audience, address and name gone.
    const oneClick = await postForm(unsubscribeUrl, { 'List-Unsubscribe': 'One-Click' });
    expect(oneClick.status).toBe(200);
    const [left] = await subscriptionItems();
    expect(left).toMatchObject({ status: 'unsubscribed', source: 'api' });
    expect(left?.audiencePk).toBeUndefined();
    expect(left?.email).toBeUndefined();
    expect(left?.name).toBeUndefined();
    expect(
      ((left?.history ?? []) as { event: string; source: string }[]).map((h) => `${h.event}/${h.source}`),
    ).toEqual(['signed-up/api', 'confirmed/email-link', 'unsubscribed/one-click']);

    // Repeating is harmless.
    const again = await postForm(unsubscribeUrl, { 'List-Unsubscribe': 'One-Click' });
    expect(again.status).toBe(200);
    expect(await subscriptionItems()).toEqual([left]);
    await local.stack.emulator.drain();
  });

  it('answers a one-click unsubscribe sent as multipart/form-data, and records it as one-click', async () => {
    const email = uniqueEmail('multipart');
    await subscribeAndConfirm(email);
    const { pk } = (await subscriptionItems()).find((item) => item.email === email) ?? {};
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');

    const response = await fetch(await unsubscribeLinkFor(email), { method: 'POST', body: form });

    expect(response.status).toBe(200);
    const left = (await subscriptionItems()).find((item) => item.pk === pk);
    expect(left?.status).toBe('unsubscribed');
    // Read as a one-click post, not as the unsubscribe page's button.
    expect(((left?.history ?? []) as { event: string; source: string }[]).at(-1)).toMatchObject({
      event: 'unsubscribed',
      source: 'one-click',
    });
  });

  it('unsubscribes even when a mail client posts a body we cannot read (text/plain, oversized)', async () => {
    const email = uniqueEmail('oddbody');
    await subscribeAndConfirm(email);
    const link = await unsubscribeLinkFor(email);

    const plain = await fetch(link, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    const huge = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `List-Unsubscribe=One-Click&pad=${'x'.repeat(20_000)}`,
    });

    expect(plain.status).toBe(200);
    expect(huge.status).toBe(200);
    expect(await plain.text()).toContain('unsubscribed');
  });

  it('leaves every campaign of the address with the second button', async () => {
    const email = uniqueEmail('everything');
    await subscribeAndConfirm(email, campaign.id);
    mark = await sesMark(ses);
    await subscribeAndConfirm(email, other.id);
    const before = (await subscriptionItems()).filter((item) => item.email === email);
    expect(before.map((item) => item.status)).toEqual(['confirmed', 'confirmed']);
    const hash = String(before[0]?.pk);

    const response = await postForm(await unsubscribeLinkFor(email), { scope: 'all' });

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('for any election');
    const after = (await subscriptionItems()).filter((item) => item.pk === hash);
    expect(after.map((item) => [item.status, item.audiencePk])).toEqual([
      ['unsubscribed', undefined],
      ['unsubscribed', undefined],
    ]);
  });

  it('gives the same answer for a new, pending, confirmed and unsubscribed address', async () => {
    const pending = uniqueEmail('pending');
    const confirmed = uniqueEmail('confirmed');
    const unsubscribed = uniqueEmail('unsubscribed');
    expect((await signUp(pending)).status).toBe(202);
    await subscribeAndConfirm(confirmed);
    await subscribeAndConfirm(unsubscribed);
    expect((await postForm(await unsubscribeLinkFor(unsubscribed), {})).status).toBe(200);
    // The check-your-email page shows the address just typed (to the person who typed it); apart
    // from that, every answer is the same.
    const describeAnswer = async (response: Response, typed = '') => ({
      status: response.status,
      body: typed ? (await response.text()).replaceAll(typed, '<typed>') : await response.text(),
      contentType: response.headers.get('content-type'),
      cacheControl: response.headers.get('cache-control'),
    });

    const answers = [];
    const timings: number[] = [];
    for (const email of [uniqueEmail('new'), pending, confirmed, unsubscribed]) {
      const started = performance.now();
      answers.push(await describeAnswer(await signUp(email)));
      timings.push(performance.now() - started);
    }
    const formAnswers = [];
    for (const email of [uniqueEmail('new-form'), pending, confirmed, unsubscribed]) {
      formAnswers.push(
        await describeAnswer(
          await postForm(`${api}/subscriptions`, {
            email,
            role: 'agent',
            campaignId: campaign.id,
            consent: 'yes',
          }),
          email,
        ),
      );
    }

    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ status: 202, body: '{"status":"pending"}' });
    expect(new Set(formAnswers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(formAnswers[0]?.status).toBe(200);
    expect(formAnswers[0]?.body).toContain('Check your email');
    // Every state does the same work (a write, a throttle check, an email), so timing is alike.
    expect(Math.max(...timings)).toBeLessThan(Math.min(...timings) * 5 + 100);
    // A confirmed subscriber stays confirmed: a sign-up by someone else cannot knock them out. The
    // first change asked for waits for its own link; the second sign-up does not replace it.
    const confirmedItem = (await subscriptionItems()).find((item) => item.email === confirmed);
    expect(confirmedItem).toMatchObject({ status: 'confirmed', role: 'candidate' });
    expect(confirmedItem?.pendingChange).toMatchObject({ role: 'candidate', source: 'api' });
    // An unsubscribed address goes back to pending and needs a new confirmation.
    const back = (await subscriptionItems()).find((item) => item.email === unsubscribed);
    expect(back).toMatchObject({ status: 'pending' });
    expect(back?.audiencePk).toBeUndefined();
  });

  it('sends at most 3 confirmation emails per address and campaign in 24 hours, still answering 202', async () => {
    const email = uniqueEmail('flood');
    const start = Date.now();

    const statuses = [];
    try {
      // Ten minutes apart: sign-ups within a minute of each other share one email.
      for (let i = 0; i < 4; i++) {
        expect(
          (await postJson(`${api}/local/clock`, { now: new Date(start + i * 600_000).toISOString() })).status,
        ).toBe(200);
        statuses.push((await signUp(email)).status);
        await settle();
      }
    } finally {
      await postJson(`${api}/local/clock`, { now: new Date().toISOString() });
    }

    expect(statuses).toEqual([202, 202, 202, 202]);
    expect(await emailsTo(ses, email, mark)).toHaveLength(3);
    const throttle = (await itemsNow()).find(
      (item) => item.sk === `THROTTLE#CONFIRM#${campaign.id}` && item.sent?.length === 3,
    );
    expect(throttle?.expiresAt).toBeGreaterThan(start / 1000);
  });

  it('refuses a tampered confirm link on GET and POST and changes nothing', async () => {
    const email = uniqueEmail('tampered');
    await signUp(email);
    const token = await confirmTokenFor(email);
    const before = await subscriptionItems();
    const [version, payload, signature] = token.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), c: other.id }),
    ).toString('base64url');
    const tampered = [
      `${version}.${forgedPayload}.${signature}`,
      `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`,
      'not-a-token',
      '',
    ];

    for (const bad of tampered) {
      const page = await fetch(`${api}/subscriptions/confirm?token=${encodeURIComponent(bad)}`);
      expect(page.status, bad).toBe(400);
      expect(await page.text()).toContain('This link does not work');
      expect((await postForm(`${api}/subscriptions/confirm`, { token: bad })).status, bad).toBe(400);
    }
    expect(await subscriptionItems()).toEqual(before);
    expect((await sesStore(ses)).filter((m) => m.subject.startsWith('You are signed up'))).toEqual([]);
  });

  it('refuses a confirm link used as an unsubscribe link, and the reverse', async () => {
    const email = uniqueEmail('purpose');
    await subscribeAndConfirm(email);
    const confirmToken = await confirmTokenFor(email);
    const unsubscribeToken = new URL(await unsubscribeLinkFor(email)).searchParams.get('token') as string;
    const before = await subscriptionItems();

    const asUnsubscribe = await postForm(`${api}/unsubscribe?token=${encodeURIComponent(confirmToken)}`, {
      'List-Unsubscribe': 'One-Click',
    });
    const asConfirm = await postForm(`${api}/subscriptions/confirm`, { token: unsubscribeToken });
    const unsubscribePage = await fetch(`${api}/unsubscribe?token=${encodeURIComponent(confirmToken)}`);

    expect(asUnsubscribe.status).toBe(400);
    expect(asConfirm.status).toBe(400);
    expect(unsubscribePage.status).toBe(400);
    expect(await subscriptionItems()).toEqual(before);
  });

  it('refuses a confirm link after 7 days (local clock moved 8 days on) and changes nothing', async () => {
    const email = uniqueEmail('late');
    await signUp(email);
    const token = await confirmTokenFor(email);
    const before = await subscriptionItems();
    const later = new Date(Date.now() + 8 * DAY_MS);

    try {
      const clock = await postJson(`${api}/local/clock`, { now: later.toISOString() });
      expect(clock.status).toBe(200);
      const response = await postForm(`${api}/subscriptions/confirm`, { token });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('expired');
      expect((await fetch(`${api}/subscriptions/confirm?token=${encodeURIComponent(token)}`)).status).toBe(
        400,
      );
    } finally {
      await postJson(`${api}/local/clock`, { now: new Date().toISOString() });
    }
    expect(await subscriptionItems()).toEqual(before);
  });

  describe('bad input: 4xx, nothing written, no email sent', () => {
    let before: Record<string, unknown>[];
    beforeEach(async () => {
      before = await itemsNow();
    });
    const nothingHappened = async () => {
      expect(await itemsNow()).toEqual(before);
      expect(await sesStore(ses)).toEqual([]);
    };

    it('names every bad field', async () => {
      const response = await postJson(`${api}/subscriptions`, {
        email: 'not-an-email',
        name: '<a href="https://evil.example">Click</a>',
        role: 'king',
        consent: false,
      });

      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; issues: { path: string; message: string }[] };
      expect(body.error).toBe('validation');
      expect(body.issues.map((issue) => issue.path)).toEqual([
        'email',
        'name',
        'role',
        'campaignId',
        'consent',
      ]);
      for (const issue of body.issues) expect(issue.message.length).toBeGreaterThan(5);
      await nothingHappened();
    });

    it.each([
      ['an unknown campaign', 'no-such-campaign'],
      ['a closed campaign', 'closed-2026'],
    ])('refuses %s as a bad campaignId', async (_what, campaignId) => {
      const response = await signUp(uniqueEmail('campaign'), { campaignId });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'validation',
        issues: [{ path: 'campaignId', message: 'Select an election that is open for sign-up' }],
      });
      await nothingHappened();
    });

    it('refuses malformed JSON with 400', async () => {
      const response = await fetch(`${api}/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email": ',
      });

      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('malformed_body');
      await nothingHappened();
    });

    it('refuses a body over 10 KB with 413', async () => {
      const response = await signUp(uniqueEmail('big'), { name: 'a'.repeat(11 * 1024) });

      expect(response.status).toBe(413);
      await nothingHappened();
    });

    it('refuses other content types with 415', async () => {
      const response = await fetch(`${api}/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'email=a@example.org',
      });

      expect(response.status).toBe(415);
      await nothingHappened();
    });

    it('re-renders the form with the error summary and field errors (400)', async () => {
      const response = await postForm(`${api}/subscriptions`, {
        email: 'nope',
        role: '',
        campaignId: campaign.id,
      });

      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain('<title>Error: ');
      expect(page).toContain('govuk-error-summary');
      expect(page).toContain('href="#email"');
      expect(page).toContain('href="#role"');
      expect(page).toContain('href="#consent"');
      expect(page).toMatch(/id="email-error"/);
      // What the person typed is kept.
      expect(page).toContain('value="nope"');
      await nothingHappened();
    });
  });

  it('serves pages with security headers and no script at all', async () => {
    const response = await fetch(`${api}/`);
    const page = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';

    expect(response.status).toBe(200);
    expect(page).not.toMatch(/<script/i);
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    for (const role of ['candidate', 'agent', 'returning-officer', 'election-staff']) {
      expect(page).toContain(`value="${role}"`);
    }
    expect(page).toContain(`value="${campaign.id}"`);
    expect(page).not.toContain('closed-2026');
  });

  it('serves govuk-frontend assets same-origin with long cache headers, and nothing else', async () => {
    const css = await fetch(`${api}/assets/govuk-frontend.min.css`);
    const icon = await fetch(`${api}/assets/images/favicon.ico`);
    // The pages use a system font stack: GDS Transport (licensed for GOV.UK only) is not served.
    const font = await fetch(`${api}/assets/fonts/bold-b542beb274-v2.woff2`);
    const missing = await fetch(`${api}/assets/../../package.json`);
    const traversal = await fetch(`${api}/assets/%2e%2e%2fpackage.json`);

    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const stylesheet = await css.text();
    expect(stylesheet).not.toContain('GDS Transport');
    expect(stylesheet).not.toContain('@font-face');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/x-icon');
    expect(font.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(traversal.status).toBe(404);
  });
});

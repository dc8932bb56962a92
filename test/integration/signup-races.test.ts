/**
 * Sign-up under races and abuse, over HTTP against the whole local stack (dynalite, the SES emulator,
 * the SQS stand-in): parallel sign-ups for one address, a second sign-up for a pending address,
 * confirm links that outlive their sign-up, the per-campaign confirmation limit, and answer timing
 * that must not tell an address's state.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../local/stack';
import { bootLocalStack } from '../support/local-stack';
import {
  emailsTo,
  header,
  journeyItems,
  linkIn,
  postForm,
  postJson,
  seedCampaign,
  sesMark,
  tableClient,
} from '../support/subscriptions';

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDate = (instant: Date) => instant.toISOString().slice(0, 10);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

describe('sign-up races and abuse (local stack)', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let api: string;
  let ses: string;
  let db: ReturnType<typeof tableClient>;
  const campaign = {
    id: 'races-2027',
    name: 'Race test election 2027',
    pollDate: isoDate(new Date(Date.now() + 200 * DAY_MS)),
  };
  const other = {
    id: 'races-mayor-2027',
    name: 'Race test mayoral election 2027',
    pollDate: isoDate(new Date(Date.now() + 210 * DAY_MS)),
  };
  let counter = 0;
  let mark = 0;
  const uniqueEmail = (label: string) => `${label}-${++counter}@example.org`;

  const signUp = (email: string, overrides: Record<string, unknown> = {}) =>
    postJson(`${api}/subscriptions`, {
      email,
      role: 'candidate',
      campaignId: campaign.id,
      consent: true,
      ...overrides,
    });
  /** Lets the confirmation queue's consumer finish before reading the SES emulator. */
  const settle = () => local.stack.emulator.drain();
  const confirmations = async (email: string, since = mark) => {
    await settle();
    return (await emailsTo(ses, email, since)).filter((m) => m.subject.startsWith('Confirm'));
  };
  const tokenOf = (email: { body: { text?: string } }) =>
    new URL(linkIn(email as Parameters<typeof linkIn>[0], '/subscriptions/confirm')).searchParams.get(
      'token',
    ) as string;
  const latestConfirmToken = async (email: string, since = mark) => {
    const latest = (await confirmations(email, since)).at(-1);
    if (!latest) throw new Error('no confirmation email');
    return tokenOf(latest);
  };
  const confirm = (token: string) => postForm(`${api}/subscriptions/confirm`, { token });
  const unsubscribeLinkFor = async (email: string, since = mark) => {
    await settle();
    const welcome = (await emailsTo(ses, email, since)).find((m) =>
      m.subject.startsWith('You are signed up'),
    );
    if (!welcome) throw new Error('no welcome email');
    return (header(welcome, 'List-Unsubscribe') as string).replace(/^<|>$/g, '');
  };
  const subscribeAndConfirm = async (email: string) => {
    const since = await sesMark(ses);
    expect((await signUp(email)).status).toBe(202);
    expect((await confirm(await latestConfirmToken(email, since))).status).toBe(200);
  };
  const bounce = (emailAddress: string) =>
    postJson(`${api}/local/ses-events`, {
      source: 'aws.ses',
      'detail-type': 'Email Bounced',
      detail: {
        eventType: 'Bounce',
        mail: { messageId: 'ses-message-1' },
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress }] },
      },
    });
  const subscriptionOf = async (email: string, campaignId = campaign.id) =>
    (await journeyItems(db, LOCAL_TABLE_NAME)).find(
      (item) => item.email === email && item.sk === `CAMPAIGN#${campaignId}`,
    );
  const setClock = async (now: Date) =>
    expect((await postJson(`${api}/local/clock`, { now: now.toISOString() })).status).toBe(200);

  beforeAll(async () => {
    local = await bootLocalStack();
    api = local.stack.apiUrl;
    ses = local.stack.sesEndpoint;
    db = tableClient(local.stack.dynamodbEndpoint);
    await seedCampaign(db, LOCAL_TABLE_NAME, campaign);
    await seedCampaign(db, LOCAL_TABLE_NAME, other);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    db?.destroy();
    await local?.stop();
  });
  beforeEach(async () => {
    mark = await sesMark(ses);
  });

  it('answers 20 parallel sign-ups for one address with 202, sends one confirmation and logs no error', async () => {
    const email = uniqueEmail('parallel');
    const errors: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      if (/"level":"(ERROR|CRITICAL)"/.test(text)) errors.push(text);
      return write(chunk, ...(rest as []));
    });
    const consoleError = vi.spyOn(console, 'error').mockImplementation((...args) => {
      errors.push(args.join(' '));
    });

    try {
      const statuses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => signUp(email, { name: `Jo ${'A'.repeat(i + 1)}` })),
      ).then((responses) => responses.map((response) => response.status));
      await settle();

      expect(statuses).toEqual(Array(20).fill(202));
      expect(await confirmations(email)).toHaveLength(1);
    } finally {
      spy.mockRestore();
      consoleError.mockRestore();
    }
    expect(errors).toEqual([]);
  });

  it('keeps the first pending sign-up: a second one changes neither its role nor its name', async () => {
    const email = uniqueEmail('pending');
    expect((await signUp(email, { role: 'candidate', name: 'Jo Bloggs' })).status).toBe(202);
    const first = await latestConfirmToken(email);

    expect((await signUp(email, { role: 'agent', name: 'Someone Else' })).status).toBe(202);
    await settle();

    expect(await subscriptionOf(email)).toMatchObject({
      status: 'pending',
      role: 'candidate',
      name: 'Jo Bloggs',
    });
    expect((await confirm(first)).status).toBe(200);
    expect(await subscriptionOf(email)).toMatchObject({
      status: 'confirmed',
      role: 'candidate',
      name: 'Jo Bloggs',
    });
  });

  it('stops an old confirm link once the person has unsubscribed and signed up again', async () => {
    const email = uniqueEmail('old-link');
    await subscribeAndConfirm(email);
    const oldToken = await latestConfirmToken(email);
    expect((await postForm(await unsubscribeLinkFor(email), {})).status).toBe(200);

    const since = await sesMark(ses);
    expect((await signUp(email, { role: 'agent' })).status).toBe(202);
    const newToken = await latestConfirmToken(email, since);

    expect(newToken).not.toBe(oldToken);
    expect((await confirm(oldToken)).status).toBe(400);
    expect(await subscriptionOf(email)).toMatchObject({ status: 'pending', role: 'agent' });
    expect((await confirm(newToken)).status).toBe(200);
    expect(await subscriptionOf(email)).toMatchObject({ status: 'confirmed', role: 'agent' });
  });

  it('counts the confirmation limit per address and campaign', async () => {
    const email = uniqueEmail('two-campaigns');
    const start = Date.now();
    try {
      // Four sign-ups for one campaign, ten minutes apart: three emails, then the limit.
      for (let i = 0; i < 4; i++) {
        await setClock(new Date(start + i * 10 * 60_000));
        expect((await signUp(email)).status).toBe(202);
        await settle();
      }
      expect(await confirmations(email)).toHaveLength(3);

      // The other campaign's confirmation still goes.
      const since = await sesMark(ses);
      expect((await signUp(email, { campaignId: other.id })).status).toBe(202);
      const [otherConfirmation, ...more] = await confirmations(email, since);
      expect(more).toEqual([]);
      expect(otherConfirmation?.body.text).toContain(other.name);
    } finally {
      await setClock(new Date());
    }
  });

  it('refuses a name that is not one with 400 naming the field, writing nothing and sending nothing', async () => {
    const email = uniqueEmail('phish');

    const response = await signUp(email, { name: 'Urgent. Reset it at paypal-login.com' });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      'name',
    ]);
    expect(await subscriptionOf(email)).toBeUndefined();
    expect(await confirmations(email)).toEqual([]);
    expect((await signUp(email, { name: 'J. Smith' })).status).toBe(202);
  });

  it('accepts a confirm link only as it was sent: padded, with stray characters or a changed last character, it fails', async () => {
    const email = uniqueEmail('canonical');
    expect((await signUp(email)).status).toBe(202);
    const token = await latestConfirmToken(email);
    const base = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = base.indexOf(token.at(-1) as string);
    const sibling = base[(last & ~3) | ((last + 1) & 3)] as string;

    for (const variant of [`${token}=`, `${token}!!`, `${token.slice(0, -1)}${sibling}`]) {
      expect(
        (await fetch(`${api}/subscriptions/confirm?token=${encodeURIComponent(variant)}`)).status,
        variant,
      ).toBe(400);
      expect((await confirm(variant)).status, variant).toBe(400);
    }
    expect(await subscriptionOf(email)).toMatchObject({ status: 'pending' });
    expect((await confirm(token)).status).toBe(200);
  });

  it('answers in the same time whatever the state of the address', async () => {
    const perState = Number(process.env.SIGNUP_TIMING_SAMPLES ?? 25);
    const states = ['new', 'pending', 'confirmed', 'suppressed', 'unsubscribed'] as const;
    const addresses = Object.fromEntries(
      states.map((state) => [state, Array.from({ length: perState }, () => uniqueEmail(`timing-${state}`))]),
    ) as Record<(typeof states)[number], string[]>;
    // The four earlier states of each round are set up side by side (different addresses).
    for (let i = 0; i < perState; i++) {
      const unsubscribed = addresses.unsubscribed[i] as string;
      const suppressed = addresses.suppressed[i] as string;
      await Promise.all([
        signUp(addresses.pending[i] as string).then((response) => expect(response.status).toBe(202)),
        subscribeAndConfirm(addresses.confirmed[i] as string),
        (async () => {
          const since = await sesMark(ses);
          await subscribeAndConfirm(unsubscribed);
          expect((await postForm(await unsubscribeLinkFor(unsubscribed, since), {})).status).toBe(200);
        })(),
        (async () => {
          expect((await signUp(suppressed)).status).toBe(202);
          expect((await bounce(suppressed)).status).toBe(200);
        })(),
      ]);
    }
    await settle();

    const timings = Object.fromEntries(states.map((state) => [state, [] as number[]])) as Record<
      (typeof states)[number],
      number[]
    >;
    // Interleaved, so load on the machine falls on every state alike; the queue is drained between
    // sign-ups so the consumer's work never overlaps a measured answer.
    for (let i = 0; i < perState; i++) {
      // Each round starts with another state, so no state always follows the same one.
      for (const state of [...states.slice(i % states.length), ...states.slice(0, i % states.length)]) {
        const started = performance.now();
        const response = await signUp(addresses[state][i] as string);
        await response.text();
        timings[state].push(performance.now() - started);
        expect(response.status).toBe(202);
        await settle();
      }
    }

    const figures = states.map((state) => ({
      state,
      median: percentile(timings[state], 50),
      p95: percentile(timings[state], 95),
      // Each answer against the median answer of its own round: load that comes and goes on a shared
      // machine falls on a whole round, so it cancels out of these ratios.
      relative: percentile(
        timings[state].map(
          (ms, round) =>
            ms /
            percentile(
              states.map((s) => timings[s][round] as number),
              50,
            ),
        ),
        50,
      ),
    }));
    console.info(
      `sign-up answer times, ${perState} per state (ms):\n${figures
        .map(
          (f) =>
            `  ${f.state.padEnd(13)} median ${f.median.toFixed(2)}  p95 ${f.p95.toFixed(2)}  relative ${f.relative.toFixed(3)}`,
        )
        .join('\n')}`,
    );
    // Before the fix a suppressed address (no SES call) answered in 0.57 of its round on a quiet machine.
    // The bounds leave room for the other test files running beside this one on two cores (a loaded
    // run has measured a state at 1.39 of its round with the fix in place).
    for (const figure of figures) {
      expect(figure.relative, figure.state).toBeGreaterThan(0.75);
      expect(figure.relative, figure.state).toBeLessThan(1.4);
    }
  }, 240_000);
});

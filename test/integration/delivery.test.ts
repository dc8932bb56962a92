import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../local/lambda';
import { LOCAL_SENDER_EMAIL } from '../../local/stack';
import { approveOverHttp } from '../support/campaigns';
import { bootLocalStack } from '../support/local-stack';
import {
  emailsTo,
  header,
  linkIn,
  postForm,
  postJson,
  type StoredEmail,
  sesMark,
  sesStore,
} from '../support/subscriptions';

/**
 * Delivery end to end on the local stack: a campaign with subscribers of every role, advanced step by
 * step with the local clock. Each subscriber receives exactly their role's steps, each with both
 * unsubscribe headers and a working link; leaving, a bounce and a complaint stop further mail; a step
 * fired twice sends once.
 */
describe('delivery on the local stack', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let api: string;
  let ses: string;
  let campaignId: string;
  let steps: { key: string; sendAt: string; roles: string[]; version: number }[];
  let mark: number;

  const LATE_JOINER = 'late.joiner@example.org';
  const LATE_JOIN_AT = '2027-05-05T12:00:00Z';
  const people = {
    candidate: 'cand.one@example.org',
    agent: 'agent.one@example.org',
    returningOfficer: 'ro.one@example.org',
    staff: 'staff.one@example.org',
    pollClerk: 'poll.clerk@example.org',
    leaver: 'cand.leaves@example.org',
    bouncer: 'agent.bounces@example.org',
    complainer: 'staff.complains@example.org',
  };
  const roleOf: Record<string, string> = {
    [people.candidate]: 'candidate',
    [people.agent]: 'agent',
    [people.returningOfficer]: 'returning-officer',
    [people.staff]: 'election-staff',
    [people.pollClerk]: 'polling-staff',
    [people.leaver]: 'candidate',
    [people.bouncer]: 'agent',
    [people.complainer]: 'election-staff',
    [LATE_JOINER]: 'candidate',
  };

  const admin = (path: string, init: { method?: string; json?: unknown } = {}) =>
    fetch(`${api}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${local.stack.adminToken}`,
        ...(init.json ? { 'content-type': 'application/json' } : {}),
      },
      body: init.json ? JSON.stringify(init.json) : undefined,
    });
  const setClock = async (now: string) => {
    const response = await postJson(`${api}/local/clock`, { now });
    expect(response.status).toBe(200);
    return ((await response.json()) as { fired: { schedule: string; outcome: string }[] }).fired;
  };
  const signUpAndConfirm = async (email: string) => {
    const before = await sesMark(ses);
    const signup = await postJson(`${api}/subscriptions`, {
      email,
      role: roleOf[email],
      campaignId,
      consent: true,
    });
    expect(signup.status).toBe(202);
    await local.stack.emulator.drain();
    const [confirmation] = await emailsTo(ses, email, before);
    const token = new URL(linkIn(confirmation as StoredEmail, '/subscriptions/confirm')).searchParams.get(
      'token',
    );
    const confirmed = await postForm(`${api}/subscriptions/confirm`, { token: String(token) });
    expect(confirmed.status).toBe(200);
  };
  const sesEvent = (eventType: 'Bounce' | 'Complaint', emailAddress: string) =>
    postJson(`${api}/local/ses-events`, {
      source: 'aws.ses',
      'detail-type': eventType === 'Bounce' ? 'Email Bounced' : 'Email Complaint Received',
      detail: {
        eventType,
        mail: { messageId: 'ses-message-1' },
        ...(eventType === 'Bounce'
          ? { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress }] } }
          : { complaint: { complainedRecipients: [{ emailAddress }] } }),
      },
    });

  beforeAll(async () => {
    local = await bootLocalStack();
    api = local.stack.apiUrl;
    ses = local.stack.sesEndpoint;
    await setClock('2027-03-01T10:00:00Z');
    const created = await admin('/admin/campaigns', {
      method: 'POST',
      json: {
        name: 'Anytown council elections 2027',
        pollDate: '2027-05-06',
        nation: 'england',
        organiser: {
          name: 'Anytown Borough Council',
          email: 'elections@anytown.example.org',
          phone: '01632 960000',
          website: 'https://www.anytown.example.org/elections',
        },
        contacts: {
          candidates: {
            name: 'Anytown Police candidate safety team',
            phone: '01632 960001',
            email: 'candidate.safety@anytown.example.org',
          },
        },
      },
    });
    expect(created.status).toBe(201);
    const draft = (await created.json()) as { id: string };
    // A second admin approves the draft: its steps are scheduled from then.
    const approved = await approveOverHttp(api, local.stack.adminToken, draft.id);
    expect(approved.status).toBe(200);
    const campaign = (await approved.json()) as { id: string; steps: typeof steps };
    campaignId = campaign.id;
    steps = campaign.steps;
    for (const email of Object.values(people)) await signUpAndConfirm(email);
    mark = await sesMark(ses);
  });
  afterAll(async () => {
    await local.stop();
  });

  it('sends each step once to every confirmed subscriber of its roles as the clock passes it', async () => {
    const instants = [...new Set(steps.map((step) => step.sendAt))].sort(
      (a, b) => Date.parse(a) - Date.parse(b),
    );
    const [first, ...rest] = instants;

    const fired = await setClock(String(first));
    // After the first reminders: one person leaves with one click, one address bounces, one complains.
    const [leaverEmail] = await emailsTo(ses, people.leaver, mark);
    const unsubscribeUrl = linkIn(leaverEmail as StoredEmail, '/unsubscribe');
    const oneClick = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    const bounce = await sesEvent('Bounce', people.bouncer);
    const complaint = await sesEvent('Complaint', people.complainer);
    let joined = false;
    for (const instant of rest) {
      // Someone joins late, on the eve of the poll: after keep-records went, before the final checklist.
      if (!joined && Date.parse(instant) > Date.parse(LATE_JOIN_AT)) {
        await setClock(LATE_JOIN_AT);
        await signUpAndConfirm(LATE_JOINER);
        joined = true;
      }
      await setClock(instant);
    }

    expect(fired.every((f) => f.outcome === 'succeeded')).toBe(true);
    expect(oneClick.status).toBe(200);
    expect(bounce.status).toBe(200);
    expect(complaint.status).toBe(200);
    const subjects = async (email: string) => (await emailsTo(ses, email, mark)).map((e) => e.subject);
    const candidateSteps = steps.filter((s) => s.roles.includes('candidate')).length;
    const officialSteps = steps.filter((s) => s.roles.includes('election-staff')).length;
    expect(candidateSteps).toBe(9);
    expect(officialSteps).toBe(8);
    const pollingStaffSteps = steps.filter((s) => s.roles.includes('polling-staff')).length;
    expect(pollingStaffSteps).toBe(4);
    expect(await subjects(people.pollClerk)).toHaveLength(pollingStaffSteps);
    for (const email of [people.candidate, people.agent]) {
      expect(new Set(await subjects(email)).size).toBe(candidateSteps);
      expect(await subjects(email)).toHaveLength(candidateSteps);
    }
    for (const email of [people.returningOfficer, people.staff]) {
      expect(new Set(await subjects(email)).size).toBe(officialSteps);
      expect(await subjects(email)).toHaveLength(officialSteps);
    }
    // Only the first reminder reached those who left, bounced or complained.
    expect(await subjects(people.leaver)).toHaveLength(1);
    expect(await subjects(people.bouncer)).toHaveLength(1);
    expect(await subjects(people.complainer)).toHaveLength(1);
  });

  it('sends every email From "<organiser> election security reminders", with replies to the organiser', async () => {
    const all = (await sesStore(ses)).filter((email) => email.destination.to.includes(people.candidate));
    const subjects = all.map((email) => email.subject);
    // The confirmation (by its queue worker), the welcome and every reminder (by SendBulkEmail).
    expect(subjects).toContain('Confirm you want election security reminders');
    expect(subjects).toContain('You are signed up for election security reminders');
    expect(subjects).toContain('Nominations have closed: know your police contact');
    for (const email of all) {
      expect(email.from, email.subject).toBe(
        `"Anytown Borough Council election security reminders" <${LOCAL_SENDER_EMAIL}>`,
      );
      expect(email.replyTo, email.subject).toEqual(['elections@anytown.example.org']);
      expect(email.body.text, email.subject).toMatch(
        /^Anytown Borough Council election security reminders\n/,
      );
      expect(email.body.text, email.subject).toContain('Email: elections@anytown.example.org');
      expect(email.body.html, email.subject).toContain('href="tel:01632960000"');
      expect(email.body.html, email.subject).toMatch(
        /<a href="https:\/\/www\.anytown\.example\.org\/elections"[^>]*>www\.anytown\.example\.org<\/a>/,
      );
      expect(email.body.text, email.subject).toContain(
        'Our links\nonly go to\nwww.anytown.example.org,\ngov.uk, police.uk',
      );
    }
    // The candidates' police contact, where the reminder sends them to the police.
    const contact = all.find(
      (email) => email.subject === 'Nominations have closed: know your police contact',
    );
    expect(contact?.body.text).toContain(
      "Your police force's contact for candidate safety:\nAnytown Police candidate safety team\nPhone: 01632 960001\nEmail: candidate.safety@anytown.example.org",
    );
    expect(contact?.body.html).toContain('href="tel:01632960001"');
  });

  it('shows each sent reminder as a web page for its role, with nobody’s details in it', async () => {
    const page = await fetch(`${api}/campaigns/${campaignId}/reminders/secure-accounts?role=agent`);
    const html = await page.text();

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/style-src 'unsafe-inline'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/script-src(?! 'none')/);
    expect(html).toContain('Anytown council elections 2027');
    expect(html).not.toMatch(/token=|unsubscribe\?/i);
    for (const email of Object.values(people)) expect(html).not.toContain(email);
    // The card page for polling staff is the printable presiding officer card.
    const card = await fetch(
      `${api}/campaigns/${campaignId}/reminders/presiding-officer-card?role=polling-staff`,
    );
    expect(card.status).toBe(200);

    const notTheirs = await fetch(
      `${api}/campaigns/${campaignId}/reminders/secure-accounts?role=returning-officer`,
    );
    expect(notTheirs.status).toBe(404);
    const unknownStep = await fetch(`${api}/campaigns/${campaignId}/reminders/no-such-step?role=agent`);
    expect(unknownStep.status).toBe(404);
    const badRole = await fetch(`${api}/campaigns/${campaignId}/reminders/secure-accounts?role=mayor`);
    expect(badRole.status).toBe(400);
  });

  it('gives a late joiner, in the welcome email, the sent reminders that still apply to their role', async () => {
    const emails = await emailsTo(ses, LATE_JOINER, mark);
    const welcome = emails.find((email) => email.subject.startsWith('You are signed up')) as StoredEmail;
    const links = [...(welcome.body.html ?? '').matchAll(/href="([^"]+\/reminders\/[^"]+)"/g)].map((m) =>
      (m[1] ?? '').replace(/&amp;/g, '&'),
    );

    // On the eve of the poll: what was sent and still applies before polls open; not the account and
    // profile advice, which was worth sending only until nominations closed.
    const page = (key: string) => `${api}/campaigns/${campaignId}/reminders/${key}?role=candidate`;
    expect(links).toEqual(
      ['know-your-police-contact', 'safer-canvassing', 'spot-phishing-and-fakes', 'keep-records'].map(page),
    );
    for (const link of links) expect((await fetch(link)).status).toBe(200);
    // Then the steps still to come, each once.
    expect(emails.map((email) => email.subject)).toHaveLength(2 + 3);
  });

  it('gives every reminder both unsubscribe headers and a link that works, and its own manage link', async () => {
    // Everything since the campaign began but the late joiner's confirmation, which precedes consent.
    const reminders = (await sesStore(ses))
      .slice(mark)
      .filter((email) => !email.subject.startsWith('Confirm'));

    expect(reminders.length).toBeGreaterThan(30);
    for (const email of reminders) {
      const url = linkIn(email, '/unsubscribe');
      expect(header(email, 'List-Unsubscribe')).toBe(`<${url}>`);
      expect(header(email, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      // "Manage your reminders": in the text and the HTML, with a token of its own (not the unsubscribe one).
      const manage = linkIn(email, '/manage');
      expect(email.body.html).toContain(`href="${manage.replace(/&/g, '&amp;')}"`);
      expect(new URL(manage).searchParams.get('token')).not.toBe(new URL(url).searchParams.get('token'));
    }
    const page = await fetch(linkIn(reminders[0] as StoredEmail, '/unsubscribe'));
    expect(page.status).toBe(200);
    const manage = await fetch(linkIn(reminders[0] as StoredEmail, '/manage'));
    expect(manage.status).toBe(200);
    expect(manage.headers.get('x-robots-tag')).toBe('noindex, nofollow, noarchive');
  });

  it('sends nothing more when a step that was sent fires again', async () => {
    const before = await sesMark(ses);
    const firstStep = steps.find((s) => s.key === 'secure-accounts');
    const { handler } = await import('../../functions/dispatch');

    await handler(
      { campaignId, stepKey: 'secure-accounts', version: firstStep?.version },
      lambdaContext('dispatch'),
    );
    await local.stack.emulator.drain();

    expect(await sesMark(ses)).toBe(before);
  });

  it('shows every step sent with its delivery counts in the admin API', async () => {
    const response = await admin(`/admin/campaigns/${campaignId}`);
    const campaign = (await response.json()) as {
      steps: { key: string; status: string; delivery: Record<string, number> | null }[];
      subscribers: Record<string, number>;
    };
    // Confirmed subscribers by role: numbers only.
    expect(Object.keys(campaign.subscribers).sort()).toEqual([
      'agent',
      'candidate',
      'election-staff',
      'polling-staff',
      'returning-officer',
    ]);
    expect(Object.values(campaign.subscribers).every((n) => Number.isInteger(n))).toBe(true);
    expect(JSON.stringify(campaign.subscribers)).not.toContain('@');
    const step = (key: string) => campaign.steps.find((s) => s.key === key);

    expect(campaign.steps.every((s) => s.status === 'sent')).toBe(true);
    expect(step('secure-accounts')?.delivery).toEqual({ recipients: 4, sent: 4, failed: 0, suppressed: 0 });
    expect(step('police-contacts-and-risks')?.delivery).toEqual({
      recipients: 3,
      sent: 3,
      failed: 0,
      suppressed: 0,
    });
    expect(step('lock-down-profiles')?.delivery).toEqual({
      recipients: 2,
      sent: 2,
      failed: 0,
      suppressed: 0,
    });
    expect(step('after-the-count')?.delivery).toEqual({ recipients: 2, sent: 2, failed: 0, suppressed: 0 });
  });

  it('sends no confirmation email to a suppressed address that signs up again, and still answers 202', async () => {
    // Back before the poll, while the campaign is open for sign-up.
    await setClock('2027-04-30T10:00:00Z');
    const before = await sesMark(ses);

    const again = await postJson(`${api}/subscriptions`, {
      email: people.bouncer,
      role: 'agent',
      campaignId,
      consent: true,
    });

    expect(again.status).toBe(202);
    await local.stack.emulator.drain();
    expect(await emailsTo(ses, people.bouncer, before)).toHaveLength(0);
  });

  it('refuses an SES event that is not one, naming nothing', async () => {
    const response = await postJson(`${api}/local/ses-events`, { hello: 'world' });

    expect(response.status).toBe(400);
  });
});

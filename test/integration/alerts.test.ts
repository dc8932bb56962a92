import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../local/stack';
import {
  approveOverHttp,
  createOpenCampaignOverHttp,
  TEST_APPROVER,
  TEST_EDITOR,
  TEST_SECOND_APPROVER,
} from '../support/campaigns';
import { bootLocalStack } from '../support/local-stack';
import {
  emailsTo,
  linkIn,
  postForm,
  postJson,
  type StoredEmail,
  sentSince,
  sesMark,
  tableClient,
} from '../support/subscriptions';

/**
 * An urgent alert end to end on the local stack: prepared by one approver, previewed through the SES
 * emulator's renderer, approved by a second, then sent through the same pipeline as every reminder
 * (schedule, dispatch, send queue, SendBulkEmail) to the confirmed subscribers of its roles only:
 * none to the unsubscribed, the suppressed or other roles. Then the audit log: every action, who and
 * when, and no subscriber's address or name anywhere in it.
 */

let local: Awaited<ReturnType<typeof bootLocalStack>>;
let api = '';
let ses = '';
let campaignId = '';

const SUBJECT = 'Fake emails about your nomination';
const BODY =
  'Fake emails that claim to come from the elections office ask candidates to **confirm their nomination** through a link.\n\n' +
  '- Do not click the link.\n' +
  '- Read the [NCSC advice on suspicious emails](https://www.ncsc.gov.uk/collection/phishing-scams).';

const people = {
  candidate: { email: 'cand.alert@example.org', name: 'Ada Lovelace', role: 'candidate' },
  agent: { email: 'agent.alert@example.org', name: 'Brian Agent', role: 'agent' },
  leaver: { email: 'leaver.alert@example.org', name: 'Cara Leaver', role: 'candidate' },
  bouncer: { email: 'bouncer.alert@example.org', name: 'Dev Bouncer', role: 'agent' },
  official: { email: 'official.alert@example.org', name: 'Eve Official', role: 'returning-officer' },
} as const;

const admin = (path: string, init: { method?: string; json?: unknown; as?: string } = {}) =>
  fetch(`${api}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${local.stack.adminToken}`,
      ...(init.as ? { 'x-esr-admin': init.as } : {}),
      ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });

const setClock = async (now: string) => {
  const response = await postJson(`${api}/local/clock`, { now });
  expect(response.status).toBe(200);
};

const signUpAndConfirm = async ({ email, name, role }: { email: string; name: string; role: string }) => {
  const before = await sesMark(ses);
  expect(
    (await postJson(`${api}/subscriptions`, { email, name, role, campaignId, consent: true })).status,
  ).toBe(202);
  await local.stack.emulator.drain();
  const [confirmation] = await emailsTo(ses, email, before);
  const token = new URL(linkIn(confirmation as StoredEmail, '/subscriptions/confirm')).searchParams.get(
    'token',
  );
  expect((await postForm(`${api}/subscriptions/confirm`, { token: String(token) })).status).toBe(200);
};

beforeAll(async () => {
  local = await bootLocalStack();
  api = local.stack.apiUrl;
  ses = local.stack.sesEndpoint;
  await setClock('2027-03-01T10:00:00Z');
  const { approved } = await createOpenCampaignOverHttp(api, local.stack.adminToken, {
    name: 'Alerttown council elections 2027',
    pollDate: '2027-05-06',
    nation: 'england',
    organiser: { name: 'Alerttown Borough Council', email: 'elections@alerttown.example.org' },
  });
  if (approved?.status !== 200) throw new Error(`the campaign was not approved: ${approved?.status}`);
  campaignId = ((await approved.json()) as { id: string }).id;
  for (const person of Object.values(people)) await signUpAndConfirm(person);
  // One leaves; one address bounces (suppressed for every campaign).
  const welcome = (await emailsTo(ses, people.leaver.email)).find((email) =>
    /unsubscribe/.test(email.body.text ?? ''),
  );
  const unsubscribe = linkIn(welcome as StoredEmail, '/unsubscribe');
  const left = await fetch(unsubscribe, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  expect(left.status).toBe(200);
  const bounce = await postJson(`${api}/local/ses-events`, {
    source: 'aws.ses',
    'detail-type': 'Email Bounced',
    detail: {
      eventType: 'Bounce',
      mail: { messageId: 'ses-message-1' },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: people.bouncer.email }] },
    },
  });
  expect(bounce.status).toBe(200);
}, 120_000);
afterAll(async () => local?.stop());

describe('urgent alerts on the local stack', () => {
  let alertId = '';

  it('refuses an editor, and bad Markdown with 400 naming body', async () => {
    const editor = await admin(`/admin/campaigns/${campaignId}/alerts`, {
      method: 'POST',
      as: TEST_EDITOR.email,
      json: { subject: SUBJECT, body: BODY, roles: ['candidate'] },
    });
    expect(editor.status).toBe(403);
    const bad = await admin(`/admin/campaigns/${campaignId}/alerts`, {
      method: 'POST',
      as: TEST_APPROVER.email,
      json: {
        subject: SUBJECT,
        body: 'See ![logo](https://www.gov.uk/logo.png) and [this](https://evil.example/)',
        roles: ['candidate'],
      },
    });
    expect(bad.status).toBe(400);
    const issues = ((await bad.json()) as { issues: { path: string; message: string }[] }).issues;
    expect(issues.map((issue) => issue.path)).toEqual(['body', 'body']);
    expect(issues.map((issue) => issue.message).join(' ')).toMatch(/images are not allowed.*evil\.example/);
  });

  it('prepares an alert and previews it through the SES renderer', async () => {
    const created = await admin(`/admin/campaigns/${campaignId}/alerts`, {
      method: 'POST',
      as: TEST_APPROVER.email,
      json: { subject: SUBJECT, body: BODY, roles: ['candidate', 'agent'] },
    });
    expect(created.status).toBe(201);
    alertId = ((await created.json()) as { alert: { id: string; status: string } }).alert.id;

    const preview = await admin(`/admin/campaigns/${campaignId}/alerts/${alertId}/preview?role=agent`);
    expect(preview.status).toBe(200);
    const shown = (await preview.json()) as { subject: string; html: string; text: string };
    expect(shown.subject).toBe(SUBJECT);
    expect(shown.html).toContain('<strong>confirm their nomination</strong>');
    expect(shown.html).toContain(
      '<a href="https://www.ncsc.gov.uk/collection/phishing-scams">NCSC advice on suspicious emails (ncsc.gov.uk)</a>',
    );
    expect(shown.html).toContain('Alerttown Borough Council');
    expect(shown.text).toContain('Hello Sample Name,');
    expect(shown.text).toContain('https://www.ncsc.gov.uk/collection/phishing-scams');
    expect((await admin(`/admin/campaigns/${campaignId}/alerts/${alertId}/preview?role=mayor`)).status).toBe(
      400,
    );
    const view = (await (await admin(`/admin/campaigns/${campaignId}`)).json()) as {
      alerts: { id: string; status: string }[];
    };
    expect(view.alerts).toEqual([expect.objectContaining({ id: alertId, status: 'draft' })]);
  });

  it('is approved by a second approver only, and then reaches each confirmed candidate and agent exactly once', async () => {
    const own = await admin(`/admin/campaigns/${campaignId}/alerts/${alertId}/approve`, {
      method: 'POST',
      as: TEST_APPROVER.email,
    });
    expect(own.status).toBe(403);
    expect(((await own.json()) as { message: string }).message).toMatch(/another approver must/);

    const mark = await sesMark(ses);
    // The same approve endpoint as drafts and changes, naming the alert.
    const approved = await approveOverHttp(api, local.stack.adminToken, campaignId, {
      as: TEST_SECOND_APPROVER.email,
      body: { alertId },
    });
    expect(approved.status).toBe(200);
    const body = (await approved.json()) as {
      stepKey: string;
      steps: { key: string; sendAt: string; status: string }[];
    };
    expect(body.stepKey).toBe(`alert-${alertId}`);
    const step = body.steps.find((candidate) => candidate.key === body.stepKey);
    expect(step).toMatchObject({ status: 'scheduled', sendAt: '2027-03-01T10:02:00+00:00' });
    expect(
      (
        await approveOverHttp(api, local.stack.adminToken, campaignId, {
          as: TEST_SECOND_APPROVER.email,
          body: { alertId },
        })
      ).status,
    ).toBe(409);

    await setClock('2027-03-01T10:03:00Z');

    const alerts = (await sentSince(ses, mark)).filter((email) => email.subject === SUBJECT);
    expect(alerts.map((email) => email.destination.to).sort()).toEqual([
      [people.agent.email],
      [people.candidate.email],
    ]);
    const toAgent = alerts.find((email) => email.destination.to.includes(people.agent.email)) as StoredEmail;
    expect(toAgent.body.text).toContain(`Hello ${people.agent.name},`);
    expect(toAgent.body.html).toContain('NCSC advice on suspicious emails (ncsc.gov.uk)</a>');
    expect(toAgent.body.text).toMatch(/\/unsubscribe\?token=/);

    const shown = (await (await admin(`/admin/campaigns/${campaignId}`)).json()) as {
      steps: { key: string; status: string; delivery: unknown }[];
    };
    expect(shown.steps.find((candidate) => candidate.key === `alert-${alertId}`)).toMatchObject({
      status: 'sent',
      delivery: { recipients: 2, sent: 2, failed: 0, suppressed: 0 },
    });
    // Firing again sends nothing more.
    await setClock('2027-03-01T11:00:00Z');
    expect((await sentSince(ses, mark)).filter((email) => email.subject === SUBJECT)).toHaveLength(2);
  });

  it('writes every admin action to the audit log, with who and when, and no subscriber data', async () => {
    const response = await admin(`/admin/audit?campaignId=${campaignId}`);
    expect(response.status).toBe(200);
    const { entries } = (await response.json()) as {
      entries: { action: string; actor: string; at: string }[];
    };
    expect(entries.map((entry) => [entry.action, entry.actor]).reverse()).toEqual([
      ['campaign.created', 'arn:aws:iam::000000000000:user/esr-local-admin'],
      ['campaign.approved', TEST_APPROVER.email],
      ['alert.created', TEST_APPROVER.email],
      ['alert.approved', TEST_SECOND_APPROVER.email],
    ]);
    expect(entries.every((entry) => !Number.isNaN(Date.parse(entry.at)))).toBe(true);
    expect((await admin('/admin/audit?campaignId=nope')).status).toBe(400);

    const db = tableClient(local.stack.dynamodbEndpoint);
    const { Items = [] } = await db.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME }));
    const audit = Items.filter((item) => String(item.pk).startsWith('AUDIT#'));
    expect(audit).toHaveLength(4);
    const stored = JSON.stringify(audit);
    for (const person of Object.values(people)) {
      expect(stored).not.toContain(person.email);
      expect(stored).not.toContain(person.name);
    }
    // Kept for two years (TTL), then DynamoDB deletes it.
    for (const item of audit) {
      expect(item.expiresAt).toBe(Math.floor(Date.parse(item.at) / 1000) + 730 * 86_400);
    }
  });
});

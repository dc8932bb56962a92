/**
 * "Manage your reminders" and the admin subject-rights API over HTTP against the whole local stack:
 * the link from the emails opens the page; each change lands in the table with the source
 * `self-service`; a token for another purpose, or one in the URL of a post, changes nothing; deleting
 * needs its confirmation step and leaves the marker only; the admin export and erase take the
 * address in the body.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME } from '../../local/stack';
import { approveOverHttp } from '../support/campaigns';
import { bootLocalStack } from '../support/local-stack';
import {
  emailsTo,
  linkIn,
  postForm,
  postJson,
  type StoredEmail,
  seedCampaign,
  sesMark,
  tableClient,
} from '../support/subscriptions';

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDate = (instant: Date) => instant.toISOString().slice(0, 10);

describe('self-service and subject rights (local stack)', () => {
  let local: Awaited<ReturnType<typeof bootLocalStack>>;
  let api: string;
  let ses: string;
  let db: ReturnType<typeof tableClient>;
  let mark = 0;
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
  const admin = (path: string, body?: unknown) =>
    fetch(`${api}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const inbox = async (address: string) => {
    await local.stack.emulator.drain();
    return emailsTo(ses, address, mark);
  };
  const scan = async () =>
    ((await db.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME }))).Items ?? []) as Record<
      string,
      unknown
    >[];
  /** The address's subscription items: its partition, found by an item that still holds the address. */
  const subscriptionsOf = async (address: string) => {
    const items = await scan();
    const pk = items.find((item) => item.email === address)?.pk;
    return items.filter(
      (item) => pk !== undefined && item.pk === pk && String(item.sk).startsWith('CAMPAIGN#'),
    );
  };

  /** Signs up and confirms; returns the welcome email. */
  const join = async (address: string, name: string) => {
    await postJson(`${api}/subscriptions`, {
      email: address,
      name,
      role: 'candidate',
      campaignId: campaign.id,
      consent: true,
    });
    const [confirmation] = await inbox(address);
    expect(linkIn(confirmation as StoredEmail, '/manage')).toMatch(/\/manage\?token=v1\./);
    const token = new URL(linkIn(confirmation as StoredEmail, '/subscriptions/confirm')).searchParams.get(
      'token',
    );
    expect((await postForm(`${api}/subscriptions/confirm`, { token: String(token) })).status).toBe(200);
    const welcome = (await inbox(address)).find((email) => email.subject.startsWith('You are signed up'));
    if (!welcome) throw new Error('no welcome email');
    return welcome;
  };
  const tokenOf = (url: string) => String(new URL(url).searchParams.get('token'));

  beforeAll(async () => {
    local = await bootLocalStack();
    api = local.stack.apiUrl;
    ses = local.stack.sesEndpoint;
    db = tableClient(local.stack.dynamodbEndpoint);
    await seedCampaign(db, LOCAL_TABLE_NAME, campaign);
    await seedCampaign(db, LOCAL_TABLE_NAME, other);
  });
  afterAll(async () => {
    db?.destroy();
    await local?.stop();
  });
  beforeEach(async () => {
    await local.stack.emulator.drain();
    mark = await sesMark(ses);
  });

  it('opens from the welcome email, private: no indexing, no referrer, no caching', async () => {
    const welcome = await join('pat.page@example.org', 'Pat Page');
    const response = await fetch(linkIn(welcome, '/manage'));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow, noarchive');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(html).toContain('p•••@example.org');
    expect(html).not.toContain('pat.page@example.org');
    expect(html).toContain(campaign.name);
    expect(html).toContain(other.name); // joinable
  });

  it('changes role, joins another election and leaves, each recorded as self-service', async () => {
    const address = 'sam.self@example.org';
    const token = tokenOf(linkIn(await join(address, 'Sam Self'), '/manage'));
    const post = (fields: Record<string, string>) => postForm(`${api}/manage`, { token, ...fields });

    expect((await post({ action: 'role', campaignId: campaign.id, role: 'agent' })).status).toBe(200);
    let items = await subscriptionsOf(address);
    const first = items.find((item) => item.campaignId === campaign.id);
    expect(first).toMatchObject({
      role: 'agent',
      status: 'confirmed',
      audiencePk: `AUDIENCE#${campaign.id}#agent`,
    });
    expect((first?.history as { event: string; source: string }[] | undefined)?.at(-1)).toMatchObject({
      event: 'role-changed',
      source: 'self-service',
    });

    mark = await sesMark(ses);
    const joined = await post({ action: 'join', campaignId: other.id, role: 'returning-officer' });
    expect(joined.status).toBe(200);
    items = await subscriptionsOf(address);
    expect(items.find((item) => item.campaignId === other.id)).toMatchObject({
      status: 'confirmed',
      role: 'returning-officer',
      source: 'self-service',
      email: address,
      name: 'Sam Self',
      history: [expect.objectContaining({ event: 'joined', source: 'self-service' })],
    });
    const welcome = (await inbox(address)).find((email) => email.body.text?.includes(other.name));
    expect(welcome && linkIn(welcome, '/manage')).toBeTruthy();

    expect((await post({ action: 'leave', campaignId: campaign.id })).status).toBe(200);
    items = await scan();
    const left = items.find((item) => item.campaignId === campaign.id && item.pk === first?.pk);
    expect(left).toMatchObject({ status: 'unsubscribed' });
    expect(left?.email).toBeUndefined();
    expect((left?.history as { source: string }[] | undefined)?.at(-1)?.source).toBe('self-service');

    // A change it may not make answers 400 with the page and changes nothing.
    const refused = await post({ action: 'role', campaignId: 'no-such-campaign', role: 'agent' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('You are not getting reminders for that election');
    expect((await post({ action: 'role', campaignId: other.id, role: 'wizard' })).status).toBe(400);
  });

  it('refuses an unsubscribe or confirm token, and a token in the URL of a post instead of its body', async () => {
    const address = 'una.other@example.org';
    const welcome = await join(address, 'Una Other');
    const unsubscribeToken = tokenOf(linkIn(welcome, '/unsubscribe'));
    const manageToken = tokenOf(linkIn(welcome, '/manage'));

    expect((await fetch(`${api}/manage?token=${encodeURIComponent(unsubscribeToken)}`)).status).toBe(400);
    const wrong = await postForm(`${api}/manage`, { token: unsubscribeToken, action: 'leave-all' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('This link does not work');
    // And the manage token cannot unsubscribe.
    expect(
      (await postForm(`${api}/unsubscribe?token=${encodeURIComponent(manageToken)}`, { scope: 'all' }))
        .status,
    ).toBe(400);
    // The page's forms send the token in the body; one in the query string is not read.
    const inUrl = await postForm(`${api}/manage?token=${encodeURIComponent(manageToken)}`, {
      action: 'leave-all',
    });
    expect(inUrl.status).toBe(400);
    const delInUrl = await postForm(`${api}/manage/delete?token=${encodeURIComponent(manageToken)}`, {
      confirm: 'yes',
    });
    expect(delInUrl.status).toBe(400);
    expect((await subscriptionsOf(address)).find((item) => item.email === address)).toMatchObject({
      status: 'confirmed',
    });
  });

  it('shows what is held, and deletes it only after the confirmation step; the export then shows the marker only', async () => {
    const address = 'dee.lete@example.org';
    const manageLink = linkIn(await join(address, 'Dee Lete'), '/manage');
    const token = tokenOf(manageLink);

    const data = await fetch(`${api}/manage/data?token=${encodeURIComponent(token)}`);
    expect(data.status).toBe(200);
    const dataHtml = await data.text();
    expect(dataHtml).toContain(address);
    expect(dataHtml).toContain('Dee Lete');
    expect(dataHtml).toContain('Signed up');
    expect(data.headers.get('x-robots-tag')).toBe('noindex, nofollow, noarchive');

    const exported = await (await admin('/admin/subscribers/export', { email: address })).json();
    const hash = String(exported.emailHmac);
    expect(exported.subscriptions).toHaveLength(1);

    // The confirmation page changes nothing; a post without its confirm field erases nothing.
    expect((await fetch(`${api}/manage/delete?token=${encodeURIComponent(token)}`)).status).toBe(200);
    expect((await postForm(`${api}/manage/delete`, { token })).status).toBe(400);
    expect(JSON.stringify(await scan())).toContain(hash);

    const deleted = await postForm(`${api}/manage/delete`, { token, confirm: 'yes' });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain('Your details have been deleted');
    const holding = (await scan()).filter((item) => {
      const text = JSON.stringify(item);
      return text.includes(hash) || text.includes(address) || text.includes('Dee Lete');
    });
    expect(holding).toEqual([{ pk: `ERASED#${hash}`, sk: 'ERASED', erasedAt: expect.any(String) }]);
    expect(await (await admin('/admin/subscribers/export', { email: address })).json()).toEqual({
      emailHmac: hash,
      subscriptions: [],
      confirmationThrottles: [],
      deliveries: [],
      erasure: { erasedAt: expect.any(String) },
    });
    // The old link still opens, and shows nothing held.
    const after = await fetch(manageLink);
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('We do not hold any reminders for this email address.');

    // Signing up again is a new sign-up: the marker blocks imports only.
    mark = await sesMark(ses);
    await join(address, 'Dee Lete');
    expect((await subscriptionsOf(address)).find((item) => item.email === address)).toMatchObject({
      status: 'confirmed',
    });
  });

  it('admin: export and erase take the address in the body (400 naming email otherwise); counts by role', async () => {
    const address = 'ada.admin@example.org';
    await join(address, 'Ada Admin');
    expect((await admin('/admin/subscribers/export', {})).status).toBe(400);
    expect(await (await admin('/admin/subscribers/export', { email: 'nope' })).json()).toMatchObject({
      error: 'validation',
      issues: [{ path: 'email' }],
    });
    // Counts on a campaign made through the admin API.
    const created = await (
      await admin('/admin/campaigns', {
        name: 'Anytown council elections 2027',
        election: 'local',
        nation: 'england',
        pollDate: '2027-05-06',
        organiser: { name: 'Anytown Borough Council', email: 'elections@anytown.example.org' },
      })
    ).json();
    // A new campaign is a draft until a second admin approves it.
    expect((await approveOverHttp(api, local.stack.adminToken, created.id)).status).toBe(200);
    const countsOf = async () =>
      (await (await admin(`/admin/campaigns/${created.id}`)).json()).subscribers as Record<string, number>;
    expect(await countsOf()).toEqual({
      candidate: 0,
      agent: 0,
      'returning-officer': 0,
      'election-staff': 0,
      'polling-staff': 0,
    });
    const token = tokenOf(
      linkIn(await inbox(address).then((emails) => emails.at(-1) as StoredEmail), '/manage'),
    );
    expect(
      (await postForm(`${api}/manage`, { token, action: 'join', campaignId: created.id, role: 'agent' }))
        .status,
    ).toBe(200);
    expect(await countsOf()).toEqual({
      candidate: 0,
      agent: 1,
      'returning-officer': 0,
      'election-staff': 0,
      'polling-staff': 0,
    });
    const erased = await admin('/admin/subscribers/erase', { email: ` ${address.toUpperCase()} ` });
    expect(erased.status).toBe(200);
    expect((await erased.json()).erased).toMatchObject({ subscriptions: 2, confirmationThrottles: 1 });
    expect((await countsOf()).agent).toBe(0);
    // Unauthenticated: refused before the function runs.
    expect((await fetch(`${api}/admin/subscribers/export`, { method: 'POST', body: '{}' })).status).toBe(401);
  });
});

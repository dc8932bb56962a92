import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpenCampaignOverHttp,
  TEST_APPROVER,
  TEST_EDITOR,
  TEST_SECOND_APPROVER,
} from '../support/campaigns';
import { bootLocalStack } from '../support/local-stack';

/**
 * The campaign capability end to end on the local stack: the admin API over HTTP, the real DynamoDB
 * and Scheduler adapters against dynalite and the Scheduler stand-in, schedules firing the real
 * dispatch handler when the local clock moves.
 */

let ctx: Awaited<ReturnType<typeof bootLocalStack>>;
const api = (path: string, init: RequestInit = {}) => fetch(`${ctx.stack.apiUrl}${path}`, init);
/** An admin request: the bearer token alone (the local IAM principal), or `as` an admin on ESR_ADMINS. */
const admin = (path: string, init: RequestInit & { json?: unknown; as?: string } = {}) =>
  api(path, {
    ...init,
    headers: {
      authorization: `Bearer ${ctx.stack.adminToken}`,
      ...(init.as ? { 'x-esr-admin': init.as } : {}),
      ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
const setClock = async (now: string) => {
  const response = await api('/local/clock', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { fired: { schedule: string; outcome: string }[] }).fired;
};

interface StepBody {
  key: string;
  status: string;
  late?: { plannedSendAt: string };
  skipReason?: string;
  version: number;
  sendAt: string;
  firedAt?: string;
  roles: string[];
  delivery: unknown;
}
interface CampaignBody {
  id: string;
  status: string;
  steps: StepBody[];
  skipped?: { key: string; sendAt: string }[];
  moved?: { key: string; from: string; to: string; status: string }[];
}

const stepOf = (campaign: CampaignBody, key: string) => campaign.steps.find((step) => step.key === key);
const schedulesOf = (campaignId: string) =>
  ctx.stack.emulator.listSchedules().filter((schedule) => schedule.Name.includes(campaignId));

const organiser = {
  name: 'Anytown Borough Council',
  email: 'elections@anytown.example.org',
  phone: '01234 567890',
  website: 'https://www.anytown.example.org',
};
const validCampaign = { name: 'Anytown council 2027', pollDate: '2027-05-06', nation: 'england', organiser };
let campaignId = '';

beforeAll(async () => {
  ctx = await bootLocalStack();
  await setClock('2027-03-01T12:00:00Z');
});
afterAll(async () => ctx?.stop());

describe('admin campaign API on the local stack', () => {
  it('refuses a request without the admin token with 401', async () => {
    const response = await api('/admin/campaigns', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validCampaign),
    });

    expect(response.status).toBe(401);
    expect(ctx.stack.emulator.listSchedules()).toEqual([]);
  });

  it.each([
    ['a poll date in the past', { pollDate: '2027-02-01' }, 'pollDate', /in the past/],
    ['an impossible date', { pollDate: '2027-02-30' }, 'pollDate', /not a real calendar date/],
    ['a date in another format', { pollDate: '06/05/2027' }, 'pollDate', /form YYYY-MM-DD/],
    ['a year without bank-holiday data', { pollDate: '2029-05-03' }, 'pollDate', /2029/],
    ['an unknown nation', { nation: 'cornwall' }, 'nation', /england, wales, scotland, northern-ireland/],
    ['an unknown playbook', { playbook: 'nope' }, 'playbook', /uk-election-security/],
    ['an unknown election type', { election: 'european-parliament' }, 'election', /uk-parliament, local/],
    ['a nation without that election', { election: 'senedd', nation: 'england' }, 'nation', /wales/],
    ['a bad non-working day', { nonWorkingDays: ['2027-13-01'] }, 'nonWorkingDays.0', /real calendar date/],
    ['a campaign-wide send time (each step has its own)', { sendTime: '09:00' }, '(body)', /sendTime/],
    ['no organiser', { organiser: undefined }, 'organiser', /organiser is required/],
    [
      'a bad organiser email',
      { organiser: { ...organiser, email: 'elections' } },
      'organiser.email',
      /email/,
    ],
    [
      'an organiser name that hides a link',
      { organiser: { ...organiser, name: 'Reset at paypal-login.com/now' } },
      'organiser.name',
      /letters, digits/,
    ],
    [
      'an organiser website that is not https',
      { organiser: { ...organiser, website: 'http://www.anytown.example.org' } },
      'organiser.website',
      /https/,
    ],
    [
      'a contact with no phone or email',
      { contacts: { officials: { name: 'Election SPOC, Anytown Police' } } },
      'contacts.officials.phone',
      /phone number, an email address or both/,
    ],
    [
      'a contact for an unknown audience',
      { contacts: { voters: { name: 'X', phone: '01234 567890' } } },
      'contacts',
      /.+/,
    ],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone', /IANA/],
  ])('refuses %s with 400 naming the field', async (_what, change, path, message) => {
    const response = await admin('/admin/campaigns', {
      method: 'POST',
      json: { ...validCampaign, ...change },
    });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; issues: { path: string; message: string }[] };
    expect(body.error).toBe('validation');
    expect(body.issues).toHaveLength(1);
    expect(body.issues[0]?.path).toBe(path);
    expect(body.issues[0]?.message).toMatch(message);
  });

  it('names every missing field at once', async () => {
    const response = await admin('/admin/campaigns', { method: 'POST', json: {} });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { path: string }[] };
    expect(body.issues.map((issue) => issue.path).sort()).toEqual([
      'name',
      'nation',
      'organiser',
      'pollDate',
    ]);
  });

  it('creates a draft (201): nothing scheduled, not public, until a second admin approves it', async () => {
    const response = await admin('/admin/campaigns', { method: 'POST', json: validCampaign });

    expect(response.status).toBe(201);
    const draft = (await response.json()) as CampaignBody & { createdBy: string };
    campaignId = draft.id;
    expect(draft.id).toMatch(/^[a-z2-7]{16}$/);
    expect(response.headers.get('location')).toBe(`/admin/campaigns/${draft.id}`);
    expect(draft).toMatchObject({
      status: 'draft',
      createdBy: 'arn:aws:iam::000000000000:user/esr-local-admin',
    });
    expect(schedulesOf(draft.id)).toEqual([]);
    expect(await (await api('/campaigns')).json()).toEqual([]);
    expect((await api(`/campaigns/${draft.id}/timeline.ics?role=candidate`)).status).toBe(404);
    // Signing up for a draft gets the same answer as for a campaign that does not exist.
    const signUp = (id: string) =>
      api('/subscriptions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'early@example.org',
          role: 'candidate',
          campaignId: id,
          consent: true,
        }),
      });
    const [forDraft, forNone] = await Promise.all([signUp(draft.id), signUp('aaaaaaaaaaaaaaaa')]);
    expect(forDraft.status).toBe(400);
    expect(await forDraft.json()).toEqual(await forNone.json());

    // Its creator cannot approve it, nor can an editor; an unknown X-Esr-Admin is refused.
    const own = await admin(`/admin/campaigns/${draft.id}/approve`, { method: 'POST' });
    expect(own.status).toBe(403);
    expect(await own.json()).toMatchObject({
      error: 'forbidden',
      message: expect.stringMatching(/another approver/),
    });
    expect(
      (await admin(`/admin/campaigns/${draft.id}/approve`, { method: 'POST', as: TEST_EDITOR.email })).status,
    ).toBe(403);
    expect(
      (await admin(`/admin/campaigns/${draft.id}/approve`, { method: 'POST', as: 'nobody@example.org' }))
        .status,
    ).toBe(403);
    expect(schedulesOf(draft.id)).toEqual([]);

    const approved = await admin(`/admin/campaigns/${draft.id}/approve`, {
      method: 'POST',
      as: TEST_APPROVER.email,
    });
    expect(approved.status).toBe(200);
    const campaign = (await approved.json()) as CampaignBody;
    expect(campaign).toMatchObject({ status: 'open', approved: 'draft', approvedBy: TEST_APPROVER.email });
    expect(campaign.skipped).toEqual([]);
    // Nothing left to approve: 409.
    expect(
      (
        await admin(`/admin/campaigns/${draft.id}/approve`, {
          method: 'POST',
          as: TEST_SECOND_APPROVER.email,
        })
      ).status,
    ).toBe(409);
    expect(campaign.steps).toHaveLength(18);
    expect(campaign).toMatchObject({ election: 'local', nation: 'england', nonWorkingDays: [] });
    expect(stepOf(campaign, 'secure-accounts')).toMatchObject({
      id: `${campaign.id}.secure-accounts`,
      roles: ['candidate', 'agent'],
      milestone: 'polling-day',
      offset: { days: -42, unit: 'calendar' },
      sendAt: '2027-03-25T09:00:00+00:00',
      status: 'scheduled',
      delivery: null,
    });
    expect(stepOf(campaign, 'know-your-police-contact')).toMatchObject({
      milestone: 'close-of-nominations',
      sendAt: '2027-04-08T16:30:00+01:00',
    });

    const schedules = schedulesOf(campaign.id);
    expect(schedules).toHaveLength(18);
    const secureAccounts = schedules.find((s) => s.Name === `esr-${campaign.id}-secure-accounts`);
    expect(secureAccounts).toMatchObject({
      GroupName: 'esr-local',
      ScheduleExpression: 'at(2027-03-25T09:00:00)',
      ScheduleExpressionTimezone: 'Europe/London',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: 'arn:aws:lambda:eu-west-2:000000000000:function:dispatch',
        DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-2:000000000000:schedule-dlq' },
      },
    });
    expect(JSON.parse(secureAccounts?.Target.Input ?? '')).toEqual({
      campaignId: campaign.id,
      stepKey: 'secure-accounts',
      version: 1,
    });
  });

  it('lists and shows the campaign; the public list offers it', async () => {
    const list = (await (await admin('/admin/campaigns')).json()) as {
      campaigns: { id: string; nextSendAt: string }[];
    };
    const shown = (await (await admin(`/admin/campaigns/${campaignId}`)).json()) as CampaignBody;
    const publicList = (await (await api('/campaigns')).json()) as unknown[];

    expect(list.campaigns).toEqual([
      expect.objectContaining({ id: campaignId, status: 'open', nextSendAt: '2027-03-25T09:00:00+00:00' }),
    ]);
    expect(shown.steps.map((step) => step.status)).toEqual(Array(18).fill('scheduled'));
    expect((shown as unknown as { milestones: { key: string; date: string }[] }).milestones).toContainEqual(
      expect.objectContaining({ key: 'close-of-nominations', date: '2027-04-08', time: '16:00' }),
    );
    expect(publicList).toEqual([
      {
        id: campaignId,
        name: 'Anytown council 2027',
        pollDate: '2027-05-06',
        organiser: { name: 'Anytown Borough Council' },
      },
    ]);
    expect(shown).toMatchObject({ organiser, contacts: {} });
    expect((await admin('/admin/campaigns/aaaaaaaaaaaaaaaa')).status).toBe(404);
  });

  it('serves a role timeline as an iCalendar attachment; unknown role 400, unknown campaign 404', async () => {
    const response = await api(`/campaigns/${campaignId}/timeline.ics?role=returning-officer`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.ics"$/);
    const body = await response.text();
    expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    // 8 reminders and 3 milestones (close of nominations, postal vote deadline, polling day).
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(11);
    expect(body).toContain(`UID:${campaignId}-police-contacts-and-risks@election-security-reminders`);

    const badRole = await api(`/campaigns/${campaignId}/timeline.ics?role=mayor`);
    expect(badRole.status).toBe(400);
    expect(await badRole.json()).toMatchObject({ error: 'validation', issues: [{ path: 'role' }] });
    expect((await api('/campaigns/aaaaaaaaaaaaaaaa/timeline.ics?role=candidate')).status).toBe(404);
  });

  it('changes the organiser and contacts with PATCH, moving no step', async () => {
    const contacts = {
      officials: {
        name: 'Election SPOC, Anytown Police',
        phone: '01234 000000',
        email: 'spoc@police.example.org',
      },
    };
    const proposed = await admin(`/admin/campaigns/${campaignId}`, {
      method: 'PATCH',
      json: { organiser: { ...organiser, phone: '01234 999999' }, contacts },
    });

    // They reach every subscriber's inbox: a pending change until a second admin approves.
    expect(proposed.status).toBe(202);
    const pending = (await proposed.json()) as CampaignBody & {
      organiser: unknown;
      pendingChange: { id: string; kind: string; proposedBy: string };
    };
    expect(pending.organiser).toEqual(organiser);
    expect(pending.pendingChange).toMatchObject({
      kind: 'update',
      proposedBy: 'arn:aws:iam::000000000000:user/esr-local-admin',
    });
    const response = await admin(`/admin/campaigns/${campaignId}/approve`, {
      method: 'POST',
      as: TEST_APPROVER.email,
      json: { changeId: pending.pendingChange.id },
    });

    expect(response.status).toBe(200);
    const campaign = (await response.json()) as CampaignBody & { organiser: unknown; contacts: unknown };
    expect(campaign.organiser).toEqual({ ...organiser, phone: '01234 999999' });
    expect(campaign.contacts).toEqual(contacts);
    expect(campaign.moved).toEqual([]);
    expect(campaign.steps.every((step) => step.version === 1)).toBe(true);
  });

  it('moves the poll date: every step moves, the answer lists old and new times', async () => {
    const bad = await admin(`/admin/campaigns/${campaignId}`, {
      method: 'PATCH',
      json: { pollDate: 'next week' },
    });
    expect(bad.status).toBe(400);

    const proposed = await admin(`/admin/campaigns/${campaignId}`, {
      method: 'PATCH',
      as: TEST_EDITOR.email,
      json: { pollDate: '2027-05-13' },
    });
    expect(proposed.status).toBe(202);
    expect(schedulesOf(campaignId).every((s) => JSON.parse(s.Target.Input ?? '').version === 1)).toBe(true);
    // The proposer cannot approve their own change, even as an approver.
    const response = await admin(`/admin/campaigns/${campaignId}/approve`, { method: 'POST' });

    expect(response.status).toBe(200);
    const campaign = (await response.json()) as CampaignBody;
    expect(campaign.moved).toHaveLength(18);
    expect(campaign.moved?.find((move) => move.key === 'secure-accounts')).toMatchObject({
      from: '2027-03-25T09:00:00+00:00',
      to: '2027-04-01T09:00:00+01:00',
      status: 'scheduled',
    });
    expect(schedulesOf(campaignId)).toHaveLength(18);
    expect(schedulesOf(campaignId).every((s) => JSON.parse(s.Target.Input ?? '').version === 2)).toBe(true);
  });

  it('a stale schedule (old version) does nothing when it fires; the current one marks its step due', async () => {
    // A schedule carrying the old version, as if it had escaped the update.
    const client = new SchedulerClient({ endpoint: ctx.stack.awsEndpoint, region: 'eu-west-2' });
    await client.send(
      new CreateScheduleCommand({
        Name: 'esr-stale-secure-accounts',
        GroupName: 'esr-local',
        ScheduleExpression: 'at(2027-03-25T09:00:00)',
        ScheduleExpressionTimezone: 'Europe/London',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: 'arn:aws:lambda:eu-west-2:000000000000:function:dispatch',
          RoleArn: 'arn:aws:iam::000000000000:role/esr-local-scheduler',
          Input: JSON.stringify({ campaignId, stepKey: 'secure-accounts', version: 1 }),
        },
      }),
    );
    client.destroy();

    const staleFired = await setClock('2027-03-25T10:00:00Z');

    expect(staleFired).toEqual([
      expect.objectContaining({ schedule: 'esr-stale-secure-accounts', outcome: 'succeeded' }),
    ]);
    let shown = (await (await admin(`/admin/campaigns/${campaignId}`)).json()) as CampaignBody;
    expect(stepOf(shown, 'secure-accounts')).toMatchObject({ status: 'scheduled', version: 2 });

    const fired = await setClock('2027-04-01T08:30:00Z'); // 09:30 BST

    expect(fired.map((f) => f.schedule).sort()).toEqual([
      `esr-${campaignId}-police-contacts-and-risks`,
      `esr-${campaignId}-secure-accounts`,
    ]);
    shown = (await (await admin(`/admin/campaigns/${campaignId}`)).json()) as CampaignBody;
    // The campaign has no subscribers yet, so the fan-out settles the step at once.
    expect(stepOf(shown, 'secure-accounts')).toMatchObject({
      status: 'sent',
      version: 2,
      firedAt: '2027-04-01T08:30:00.000Z',
    });
    expect(schedulesOf(campaignId)).toHaveLength(16);
  });

  it('sends the passed steps still worth sending at once when a campaign is approved late', async () => {
    const { created, approved: response } = await createOpenCampaignOverHttp(
      ctx.stack.apiUrl,
      ctx.stack.adminToken,
      {
        ...validCampaign,
        name: 'Late campaign',
        nation: 'wales',
      },
    );

    expect(created.status).toBe(201);
    expect(response?.status).toBe(200);
    if (!response) return;
    const late = (await response.json()) as CampaignBody;
    expect(late.skipped).toEqual([]);
    expect(late.steps.filter((step) => step.late).map((step) => [step.key, step.sendAt])).toEqual([
      ['secure-accounts', '2027-04-01T09:32:00+01:00'],
      ['police-contacts-and-risks', '2027-04-01T09:33:00+01:00'],
      ['lock-down-profiles', '2027-04-01T09:34:00+01:00'],
    ]);
    expect(schedulesOf(late.id)).toHaveLength(18);
  });

  it('skips, with the reason, the passed steps no longer worth sending', async () => {
    await setClock('2027-04-08T16:00:00Z'); // 17:00 BST, an hour after nominations closed
    const { approved: response } = await createOpenCampaignOverHttp(ctx.stack.apiUrl, ctx.stack.adminToken, {
      ...validCampaign,
      name: 'Very late campaign',
      election: 'senedd',
      nation: 'wales',
    });

    expect(response?.status).toBe(200);
    if (!response) return;
    const late = (await response.json()) as CampaignBody & {
      skipped: { key: string; sendAt: string; reason: string }[];
    };
    expect(late.skipped.map((step) => step.key)).toEqual([
      'secure-accounts',
      'police-contacts-and-risks',
      'lock-down-profiles',
    ]);
    expect(late.skipped[0]?.reason).toMatch(/worth sending only until 2027-04-08T16:00:00\+01:00/);
    const shown = (await (await admin(`/admin/campaigns/${late.id}`)).json()) as CampaignBody;
    expect(stepOf(shown, 'secure-accounts')).toMatchObject({
      status: 'skipped',
      skipReason: expect.any(String),
    });
    expect(schedulesOf(late.id)).toHaveLength(15);
  });

  it('cancel, once a second admin approves it, deletes every pending schedule, and nothing fires afterwards', async () => {
    const pendingSchedules = schedulesOf(campaignId).length;
    expect(pendingSchedules).toBeGreaterThan(0);
    const proposed = await admin(`/admin/campaigns/${campaignId}`, {
      method: 'DELETE',
      as: TEST_SECOND_APPROVER.email,
    });
    expect(proposed.status).toBe(202);
    expect((await proposed.json()) as unknown).toMatchObject({
      status: 'open',
      pendingChange: { kind: 'cancel' },
    });
    expect(schedulesOf(campaignId)).toHaveLength(pendingSchedules);
    const response = await admin(`/admin/campaigns/${campaignId}/approve`, {
      method: 'POST',
      as: TEST_APPROVER.email,
    });

    expect(response.status).toBe(200);
    const campaign = (await response.json()) as CampaignBody;
    expect(campaign.status).toBe('cancelled');
    expect(stepOf(campaign, 'secure-accounts')?.status).toBe('sent');
    expect(stepOf(campaign, 'polling-day')?.status).toBe('cancelled');
    expect(schedulesOf(campaignId)).toEqual([]);

    const fired = await setClock('2027-06-01T12:00:00Z');
    expect(fired.filter((f) => f.schedule.includes(campaignId))).toEqual([]);
    const publicList = (await (await api('/campaigns')).json()) as { id: string }[];
    expect(publicList.map((c) => c.id)).not.toContain(campaignId);

    expect((await admin(`/admin/campaigns/${campaignId}/cancel`, { method: 'POST' })).status).toBe(200);
    const patch = await admin(`/admin/campaigns/${campaignId}`, {
      method: 'PATCH',
      json: { pollDate: '2027-07-01' },
    });
    expect(patch.status).toBe(409);
    expect(ctx.stack.emulator.peek('schedule-dlq')).toEqual([]);
  });
});

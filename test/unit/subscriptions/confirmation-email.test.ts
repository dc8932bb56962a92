import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../functions/lib/campaigns/model';
import {
  processConfirmationRecords,
  sendConfirmationEmail,
} from '../../../functions/lib/subscriptions/confirmation-email';
import type { ConfirmationRequest } from '../../../functions/lib/subscriptions/confirmation-request';
import { createEmailHasher } from '../../../functions/lib/subscriptions/email';
import type {
  ConfirmationDeps,
  SubscriptionDeps,
  TemplatedEmail,
} from '../../../functions/lib/subscriptions/ports';
import { subscribe } from '../../../functions/lib/subscriptions/subscribe';
import { createTokenSigner } from '../../../functions/lib/tokens/signer';
import { FakeSubscriptionRepository } from './fakes';

const secret = Buffer.from('s'.repeat(64));
const signer = createTokenSigner(secret);
const hashEmail = createEmailHasher(secret);
const now = new Date('2027-03-01T10:00:00Z');
const campaign = {
  id: 'locals-2027',
  name: 'Locals 2027',
  pollDate: '2027-05-06',
  status: 'open',
  organiser: { name: 'Anytown Borough Council', email: 'elections@anytown.example.org' },
  contacts: {},
  milestones: [],
} as unknown as Campaign;

const setup = () => {
  const subscriptions = new FakeSubscriptionRepository();
  const queued: ConfirmationRequest[] = [];
  const sent: TemplatedEmail[] = [];
  const suppressed = new Set<string>();
  const clock = { now: () => now };
  const keys = async () => ({ signer, hashEmail });
  const api: SubscriptionDeps = {
    subscriptions,
    mailer: { sendTemplated: async () => undefined },
    confirmations: { request: async (message) => void queued.push(message) },
    keys,
    campaigns: { getCampaign: async () => campaign } as unknown as SubscriptionDeps['campaigns'],
    clock,
    publicBaseUrl: 'https://reminders.example.gov.uk',
    retentionDays: 30,
  };
  const worker: ConfirmationDeps = {
    subscriptions,
    campaigns: { getCampaign: async (id) => (id === campaign.id ? campaign : undefined) },
    mailer: { sendTemplated: async (email) => void sent.push(email) },
    keys,
    clock,
    publicBaseUrl: 'https://reminders.example.gov.uk',
    suppressed: async (h) => suppressed.has(h),
  };
  return { api, worker, subscriptions, queued, sent, suppressed };
};

describe('confirmation emails off the request path', () => {
  it('queues ids only: the address hash, the campaign and the sign-up nonce', async () => {
    const { api, queued } = setup();

    await subscribe(api, campaign, { email: 'Jo@Example.org', name: 'Jo Bloggs', role: 'agent' }, 'api');

    expect(queued).toHaveLength(1);
    expect(Object.keys(queued[0] as object).sort()).toEqual(['campaignId', 'emailHmac', 'nonce']);
    expect(JSON.stringify(queued)).not.toMatch(/@|Jo/);
  });

  it('sends what the stored sign-up asked for, to the stored address, with a link for that sign-up', async () => {
    const { api, worker, queued, sent } = setup();
    await subscribe(api, campaign, { email: 'jo@example.org', name: 'Jo Bloggs', role: 'agent' }, 'api');
    const request = queued[0] as ConfirmationRequest;

    expect(await sendConfirmationEmail(worker, request, 'm1')).toBe('sent');

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'jo@example.org',
      template: 'confirm-subscription',
      data: { campaignName: 'Locals 2027', role: 'an election agent' },
    });
    // The name typed into the form is never sent to an address nobody has confirmed yet.
    expect(sent[0]?.data).not.toHaveProperty('name');
    // From the organiser, who is named in it and gets the replies.
    expect(sent[0]?.sender).toEqual({
      displayName: 'Anytown Borough Council election security reminders',
      replyTo: 'elections@anytown.example.org',
    });
    expect(sent[0]?.data).toMatchObject({
      organiserName: 'Anytown Borough Council',
      organiserEmail: 'elections@anytown.example.org',
    });
    const token = new URL(String(sent[0]?.data.confirmUrl)).searchParams.get('token') as string;
    expect(signer.verify(token, 'confirm', now)).toMatchObject({
      nonce: request.nonce,
      emailHmac: request.emailHmac,
    });
  });

  it('says the organiser invited them when the sign-up came from an import, and not otherwise', async () => {
    const { api, worker, queued, sent } = setup();
    await subscribe(api, campaign, { email: 'imported@example.org', role: 'polling-staff' }, 'import');
    await subscribe(api, campaign, { email: 'self@example.org', role: 'polling-staff' }, 'form');

    await sendConfirmationEmail(worker, queued[0] as ConfirmationRequest, 'm1');
    await sendConfirmationEmail(worker, queued[1] as ConfirmationRequest, 'm2');

    expect(sent[0]?.data).toMatchObject({ invited: 'yes', organiserName: 'Anytown Borough Council' });
    expect(sent[1]?.data).not.toHaveProperty('invited');
  });

  it('sends nothing for a request whose sign-up is no longer waiting (another nonce)', async () => {
    const { api, worker, queued, sent } = setup();
    await subscribe(api, campaign, { email: 'jo@example.org', role: 'agent' }, 'api');

    const outcome = await sendConfirmationEmail(
      worker,
      { ...(queued[0] as ConfirmationRequest), nonce: 'x'.repeat(22) },
      'm1',
    );

    expect(outcome).toBe('stale');
    expect(sent).toEqual([]);
  });

  it('withholds it from a suppressed address and when the allowance is used', async () => {
    const { api, worker, queued, sent, suppressed, subscriptions } = setup();
    await subscribe(api, campaign, { email: 'jo@example.org', role: 'agent' }, 'api');
    const request = queued[0] as ConfirmationRequest;

    suppressed.add(request.emailHmac);
    expect(await sendConfirmationEmail(worker, request, 'm1')).toBe('suppressed');
    suppressed.clear();
    subscriptions.quotaOverride = 'limit';
    expect(await sendConfirmationEmail(worker, request, 'm2')).toBe('limit');
    expect(sent).toEqual([]);
  });

  it('answers partial batch failures: a malformed record and a failed send come back, the rest do not', async () => {
    const { api, worker, queued } = setup();
    await subscribe(api, campaign, { email: 'jo@example.org', role: 'agent' }, 'api');
    const failing: ConfirmationDeps = {
      ...worker,
      mailer: {
        sendTemplated: async () => {
          throw new Error('SES down');
        },
      },
    };
    const record = (messageId: string, body: string) => ({ messageId, body }) as never;

    const result = await processConfirmationRecords(failing, [
      record('bad', '{"email":"jo@example.org"}'),
      record('not-json', 'nope'),
      record('fails', JSON.stringify(queued[0])),
      record('stale', JSON.stringify({ ...queued[0], nonce: 'y'.repeat(22) })),
    ]);

    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['bad', 'not-json', 'fails']);
  });
});

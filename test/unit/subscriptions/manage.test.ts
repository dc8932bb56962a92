import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../functions/lib/campaigns/model';
import { retentionEnd } from '../../../functions/lib/shared/dates';
import { planConfirm } from '../../../functions/lib/subscriptions/confirm';
import {
  ManageRefusedError,
  manageActionSchema,
  planJoin,
  planRoleChange,
} from '../../../functions/lib/subscriptions/manage';
import type { Subscription } from '../../../functions/lib/subscriptions/model';
import { planSignup } from '../../../functions/lib/subscriptions/subscribe';
import { planUnsubscribe } from '../../../functions/lib/subscriptions/unsubscribe';

const now = new Date('2027-01-10T12:00:00Z');
const later = new Date('2027-01-12T08:00:00Z');
const campaign = { id: 'c1', name: 'Locals', pollDate: '2027-05-06' } as Campaign;
const request = {
  email: 'jo@example.org',
  name: 'Jo',
  role: 'agent' as const,
  emailHmac: 'h'.repeat(64),
  campaignId: 'c1',
};
const pending = () => planSignup(undefined, request, now, 'form', 'nonce-1').next;
const confirmed = () => planConfirm(pending(), 'nonce-1', campaign, now, 'email-link', 30) as Subscription;

describe('manage page state changes', () => {
  it('changes the role of a confirmed subscription, recorded as self-service, keeping it in the audience', () => {
    const before = confirmed();
    const after = planRoleChange(before, 'candidate', later);

    expect(after).toMatchObject({
      role: 'candidate',
      status: 'confirmed',
      email: 'jo@example.org',
      version: before.version + 1,
      updatedAt: later.toISOString(),
    });
    expect(after?.history.at(-1)).toEqual({
      at: later.toISOString(),
      event: 'role-changed',
      source: 'self-service',
    });
  });

  it('changes nothing for the same role, and drops a change still waiting for its confirm link', () => {
    const before = confirmed();
    expect(planRoleChange(before, 'agent', later)).toBeUndefined();
    const waiting = planSignup(before, { ...request, role: 'polling-staff' }, later, 'api', 'nonce-2').next;
    expect(waiting.pendingChange).toBeDefined();
    const after = planRoleChange(waiting, 'agent', later);
    expect(after?.pendingChange).toBeUndefined();
    expect(after?.role).toBe('agent');
  });

  it('refuses a role change for a subscription that was left', () => {
    const left = planUnsubscribe(confirmed(), later, 'email-link', 'campaign') as Subscription;
    expect(() => planRoleChange(left, 'candidate', later)).toThrow(ManageRefusedError);
  });

  it('joins a campaign confirmed at once, as self-service, kept until the retention period after the poll', () => {
    const left = planUnsubscribe(confirmed(), now, 'email-link', 'campaign') as Subscription;
    const joined = planJoin(
      left,
      { emailHmac: request.emailHmac, email: 'jo@example.org', role: 'candidate' },
      campaign,
      later,
      30,
    );

    expect(joined).toMatchObject({
      status: 'confirmed',
      role: 'candidate',
      email: 'jo@example.org',
      source: 'self-service',
      consentAt: later.toISOString(),
      confirmedAt: later.toISOString(),
      createdAt: left.createdAt,
      expiresAt: retentionEnd(campaign.pollDate, 30),
      version: left.version + 1,
    });
    expect(joined.name).toBeUndefined();
    expect(joined.history.at(-1)).toEqual({
      at: later.toISOString(),
      event: 'joined',
      source: 'self-service',
    });
    // The earlier history stays: joining again is one more entry.
    expect(joined.history.length).toBe(left.history.length + 1);
  });

  it('accepts only the four actions with their fields', () => {
    expect(manageActionSchema.safeParse({ action: 'leave-all' }).success).toBe(true);
    expect(manageActionSchema.safeParse({ action: 'role', campaignId: 'c1', role: 'agent' }).success).toBe(
      true,
    );
    expect(manageActionSchema.safeParse({ action: 'role', campaignId: 'c1', role: 'wizard' }).success).toBe(
      false,
    );
    expect(manageActionSchema.safeParse({ action: 'join', campaignId: '', role: 'agent' }).success).toBe(
      false,
    );
    expect(manageActionSchema.safeParse({ action: 'erase' }).success).toBe(false);
  });
});

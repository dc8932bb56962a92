import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../functions/lib/campaigns/model';
import { planConfirm } from '../../../functions/lib/subscriptions/confirm';
import { longDate, retentionEnd } from '../../../functions/lib/subscriptions/dates';
import { HISTORY_LIMIT, type Subscription } from '../../../functions/lib/subscriptions/model';
import { PENDING_TTL_SECONDS, planSignup } from '../../../functions/lib/subscriptions/subscribe';
import { planUnsubscribe } from '../../../functions/lib/subscriptions/unsubscribe';

const now = new Date('2027-01-10T12:00:00Z');
const later = new Date('2027-01-11T08:00:00Z');
const request = {
  email: 'jo@example.org',
  name: 'Jo',
  role: 'agent' as const,
  emailHmac: 'h'.repeat(64),
  campaignId: 'c1',
};
const campaign = { id: 'c1', name: 'Locals', pollDate: '2027-05-06' } as Campaign;

describe('sign-up, confirm and unsubscribe state changes', () => {
  it('starts a new address as pending, expiring 7 days later, with consent time and source', () => {
    const pending = planSignup(undefined, request, now, 'form');

    expect(pending).toMatchObject({
      status: 'pending',
      role: 'agent',
      email: 'jo@example.org',
      consentAt: now.toISOString(),
      source: 'form',
      expiresAt: now.getTime() / 1000 + PENDING_TTL_SECONDS,
      version: 1,
      history: [{ at: now.toISOString(), event: 'signed-up', source: 'form' }],
    });
  });

  it('confirms a pending sign-up until the retention period after the poll', () => {
    const confirmed = planConfirm(
      planSignup(undefined, request, now, 'api'),
      campaign,
      later,
      'email-link',
      30,
    );

    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedAt: later.toISOString(), version: 2 });
    expect(confirmed?.expiresAt).toBe(retentionEnd('2027-05-06', 30));
    expect(retentionEnd('2027-05-06', 30)).toBe(Date.parse('2027-06-06T00:00:00Z') / 1000);
  });

  it('never downgrades a confirmed subscription on a new sign-up: the change waits for confirmation', () => {
    const confirmed = planConfirm(
      planSignup(undefined, request, now, 'api'),
      campaign,
      now,
      'email-link',
      30,
    ) as Subscription;

    const again = planSignup(
      confirmed,
      { ...request, role: 'candidate', name: undefined as unknown as string },
      later,
      'form',
    );
    expect(again).toMatchObject({
      status: 'confirmed',
      role: 'agent',
      pendingChange: { role: 'candidate', source: 'form' },
    });

    const applied = planConfirm(again, campaign, later, 'email-link', 30);
    expect(applied).toMatchObject({ status: 'confirmed', role: 'candidate', source: 'form' });
    expect(applied?.pendingChange).toBeUndefined();
    expect(applied?.name).toBeUndefined();
  });

  it('changes nothing on a repeated confirmation', () => {
    const confirmed = planConfirm(
      planSignup(undefined, request, now, 'api'),
      campaign,
      now,
      'email-link',
      30,
    ) as Subscription;

    expect(planConfirm(confirmed, campaign, later, 'email-link', 30)).toBeUndefined();
  });

  it('unsubscribes at once, forgetting the address and name, and only once', () => {
    const confirmed = planConfirm(
      planSignup(undefined, request, now, 'api'),
      campaign,
      now,
      'email-link',
      30,
    ) as Subscription;

    const left = planUnsubscribe(confirmed, later, 'one-click', 'campaign') as Subscription;

    expect(left).toMatchObject({ status: 'unsubscribed', unsubscribedAt: later.toISOString() });
    expect(left).not.toHaveProperty('email');
    expect(left).not.toHaveProperty('name');
    expect(left.history.at(-1)).toEqual({
      at: later.toISOString(),
      event: 'unsubscribed',
      source: 'one-click',
    });
    expect(planUnsubscribe(left, later, 'one-click', 'campaign')).toBeUndefined();
  });

  it('sends an unsubscribed address back to pending on a new sign-up', () => {
    const confirmed = planConfirm(
      planSignup(undefined, request, now, 'api'),
      campaign,
      now,
      'email-link',
      30,
    ) as Subscription;
    const left = planUnsubscribe(confirmed, now, 'email-link', 'all') as Subscription;

    const back = planSignup(left, request, later, 'api');

    expect(back).toMatchObject({ status: 'pending', email: 'jo@example.org', createdAt: now.toISOString() });
    expect(back).not.toHaveProperty('confirmedAt');
    expect(back.history.map((h) => h.event)).toEqual([
      'signed-up',
      'confirmed',
      'unsubscribed-all',
      'signed-up-again',
    ]);
  });

  it('keeps only the last few history entries', () => {
    let subscription = planSignup(undefined, request, now, 'api');
    for (let i = 0; i < 20; i++) subscription = planSignup(subscription, request, now, 'api');

    expect(subscription.history).toHaveLength(HISTORY_LIMIT);
  });

  it('writes the poll date out as GOV.UK does', () => {
    expect(longDate('2027-05-06')).toBe('Thursday 6 May 2027');
  });
});

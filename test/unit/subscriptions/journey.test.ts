import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../functions/lib/campaigns/model';
import { longDate, retentionEnd } from '../../../functions/lib/shared/dates';
import { planConfirm } from '../../../functions/lib/subscriptions/confirm';
import { HISTORY_LIMIT, type Subscription } from '../../../functions/lib/subscriptions/model';
import {
  awaitingConfirmation,
  newNonce,
  PENDING_TTL_SECONDS,
  planSignup,
} from '../../../functions/lib/subscriptions/subscribe';
import { planUnsubscribe } from '../../../functions/lib/subscriptions/unsubscribe';
import { InvalidTokenError } from '../../../functions/lib/tokens/signer';

const now = new Date('2027-01-10T12:00:00Z');
const later = new Date('2027-01-11T08:00:00Z');
const eightDaysOn = new Date(now.getTime() + 8 * 24 * 60 * 60 * 1000);
const request = {
  email: 'jo@example.org',
  name: 'Jo',
  role: 'agent' as const,
  emailHmac: 'h'.repeat(64),
  campaignId: 'c1',
};
const campaign = { id: 'c1', name: 'Locals', pollDate: '2027-05-06' } as Campaign;

/** The stored state after a sign-up (the plan's write, or what was there when it writes nothing). */
const signUp = (
  existing: Subscription | undefined,
  at: Date,
  overrides: Partial<typeof request> = {},
  nonce = 'nonce-1',
): Subscription =>
  planSignup(existing, { ...request, ...overrides }, at, 'api', nonce).next ?? (existing as Subscription);
const confirmed = (): Subscription =>
  planConfirm(signUp(undefined, now), 'nonce-1', campaign, now, 'email-link', 30) as Subscription;

describe('sign-up, confirm and unsubscribe state changes', () => {
  it('starts a new address as pending under its nonce, expiring 7 days later, with consent time and source', () => {
    const plan = planSignup(undefined, request, now, 'form', 'nonce-1');

    expect(plan.nonce).toBe('nonce-1');
    expect(plan.next).toMatchObject({
      status: 'pending',
      role: 'agent',
      email: 'jo@example.org',
      nonce: 'nonce-1',
      consentAt: now.toISOString(),
      source: 'form',
      expiresAt: now.getTime() / 1000 + PENDING_TTL_SECONDS,
      version: 1,
      history: [{ at: now.toISOString(), event: 'signed-up', source: 'form' }],
    });
  });

  it('keeps a pending sign-up on a second sign-up: neither role nor name changes, only a note at the same version', () => {
    const pending = signUp(undefined, now);

    const second = planSignup(
      pending,
      { ...request, role: 'candidate', name: 'Mallory' },
      later,
      'api',
      'nonce-2',
    );

    expect(second).toEqual({ nonce: 'nonce-1', next: { ...pending, lastRequestedAt: later.toISOString() } });
  });

  it('starts again under a new nonce once the pending sign-up has expired', () => {
    const pending = signUp(undefined, now);

    const again = planSignup(pending, { ...request, role: 'candidate' }, eightDaysOn, 'api', 'nonce-2');

    expect(again.nonce).toBe('nonce-2');
    expect(again.next).toMatchObject({ status: 'pending', role: 'candidate', nonce: 'nonce-2', version: 2 });
  });

  it('confirms a pending sign-up only with its own nonce, until the retention period after the poll', () => {
    const pending = signUp(undefined, now);

    expect(() => planConfirm(pending, 'nonce-other', campaign, later, 'email-link', 30)).toThrow(
      InvalidTokenError,
    );
    expect(() => planConfirm(pending, undefined, campaign, later, 'email-link', 30)).toThrow(
      InvalidTokenError,
    );
    const done = planConfirm(pending, 'nonce-1', campaign, later, 'email-link', 30);
    expect(done).toMatchObject({ status: 'confirmed', confirmedAt: later.toISOString(), version: 2 });
    expect(done?.expiresAt).toBe(retentionEnd('2027-05-06', 30));
    expect(retentionEnd('2027-05-06', 30)).toBe(Date.parse('2027-06-06T00:00:00Z') / 1000);
  });

  it('never downgrades a confirmed subscription on a new sign-up: the change waits for its own link', () => {
    const again = planSignup(
      confirmed(),
      { ...request, role: 'candidate', name: undefined as unknown as string },
      later,
      'form',
      'nonce-2',
    );
    expect(again.nonce).toBe('nonce-2');
    expect(again.next).toMatchObject({
      status: 'confirmed',
      role: 'agent',
      pendingChange: { nonce: 'nonce-2', role: 'candidate', source: 'form' },
    });
    const withChange = again.next as Subscription;

    // The first link is a repeat: it changes nothing, and cannot apply the change.
    expect(planConfirm(withChange, 'nonce-1', campaign, later, 'email-link', 30)).toBeUndefined();
    // A third sign-up while the change waits changes nothing either.
    expect(planSignup(withChange, { ...request, role: 'agent' }, later, 'api', 'nonce-3')).toEqual({
      nonce: 'nonce-2',
      next: { ...withChange, lastRequestedAt: later.toISOString() },
    });
    const applied = planConfirm(withChange, 'nonce-2', campaign, later, 'email-link', 30);
    expect(applied).toMatchObject({
      status: 'confirmed',
      role: 'candidate',
      source: 'form',
      nonce: 'nonce-2',
    });
    expect(applied?.pendingChange).toBeUndefined();
    expect(applied?.name).toBeUndefined();
  });

  it('changes nothing on a repeated confirmation', () => {
    expect(planConfirm(confirmed(), 'nonce-1', campaign, later, 'email-link', 30)).toBeUndefined();
  });

  it('unsubscribes at once, forgetting the address, name and nonce, and only once', () => {
    const left = planUnsubscribe(confirmed(), later, 'one-click', 'campaign') as Subscription;

    expect(left).toMatchObject({ status: 'unsubscribed', unsubscribedAt: later.toISOString() });
    expect(left).not.toHaveProperty('email');
    expect(left).not.toHaveProperty('name');
    expect(left).not.toHaveProperty('nonce');
    expect(left.history.at(-1)).toEqual({
      at: later.toISOString(),
      event: 'unsubscribed',
      source: 'one-click',
    });
    expect(planUnsubscribe(left, later, 'one-click', 'campaign')).toBeUndefined();
  });

  it('sends an unsubscribed address back to pending under a new nonce: the old link no longer confirms', () => {
    const left = planUnsubscribe(confirmed(), now, 'email-link', 'all') as Subscription;

    const back = signUp(left, later, {}, 'nonce-2');

    expect(back).toMatchObject({
      status: 'pending',
      email: 'jo@example.org',
      nonce: 'nonce-2',
      createdAt: now.toISOString(),
    });
    expect(back).not.toHaveProperty('confirmedAt');
    expect(back.history.map((h) => h.event)).toEqual([
      'signed-up',
      'confirmed',
      'unsubscribed-all',
      'signed-up-again',
    ]);
    expect(() => planConfirm(back, 'nonce-1', campaign, later, 'email-link', 30)).toThrow(InvalidTokenError);
    expect(awaitingConfirmation(back, 'nonce-2', later)).toMatchObject({ role: 'agent', name: 'Jo' });
  });

  it('keeps only the last few history entries', () => {
    let subscription = signUp(undefined, now);
    for (let i = 0; i < 20; i++) {
      const left = planUnsubscribe(subscription, now, 'email-link', 'campaign') as Subscription;
      subscription = signUp(left, now, {}, `nonce-${i + 2}`);
    }

    expect(subscription.history).toHaveLength(HISTORY_LIMIT);
  });

  it('makes a different 128-bit nonce for each sign-up', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));

    expect(nonces.size).toBe(100);
    expect([...nonces][0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('writes the poll date out as GOV.UK does', () => {
    expect(longDate('2027-05-06')).toBe('Thursday 6 May 2027');
  });
});

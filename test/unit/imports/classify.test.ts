import { describe, expect, it } from 'vitest';
import { classifyRow, importNonce } from '../../../functions/lib/imports/run';
import type { Subscription } from '../../../functions/lib/subscriptions/model';

const now = new Date('2027-03-01T10:00:00Z');
const epoch = (date: Date) => Math.floor(date.getTime() / 1000);
const nonce = importNonce('5f0c7a52-3c1e-4a8e-9c54-2f1f3b7b9d01', 'a'.repeat(64));
const subscription = (overrides: Partial<Subscription>): Subscription => ({
  emailHmac: 'a'.repeat(64),
  campaignId: 'c',
  email: 'x@example.org',
  role: 'candidate',
  status: 'pending',
  source: 'form',
  consentAt: now.toISOString(),
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  nonce: 'someone-elses-nonce-000',
  history: [],
  expiresAt: epoch(now) + 3600,
  version: 1,
  ...overrides,
});

describe('classifyRow: what an import does with one address', () => {
  it('invites a new address, or one whose sign-up expired unconfirmed', () => {
    expect(classifyRow(undefined, false, nonce, now)).toEqual({ kind: 'invite' });
    expect(classifyRow(subscription({ expiresAt: epoch(now) - 1 }), false, nonce, now)).toEqual({
      kind: 'invite',
    });
  });

  it('counts a sign-up waiting under its own nonce as its invitation (a takeover after a crash)', () => {
    expect(classifyRow(subscription({ nonce }), false, nonce, now)).toEqual({ kind: 'ours' });
  });

  it('skips an address already invited by someone else or subscribed', () => {
    expect(classifyRow(subscription({}), false, nonce, now)).toEqual({
      kind: 'report',
      reason: 'already-invited',
    });
    expect(classifyRow(subscription({ status: 'confirmed' }), false, nonce, now)).toEqual({
      kind: 'report',
      reason: 'already-subscribed',
    });
  });

  it('rejects a suppressed or unsubscribed address', () => {
    expect(classifyRow(undefined, true, nonce, now)).toEqual({ kind: 'report', reason: 'suppressed' });
    // Erased at the person's request: never invited again, unless they have signed up since.
    expect(classifyRow(undefined, false, nonce, now, { erased: true })).toEqual({
      kind: 'report',
      reason: 'erased',
    });
    expect(classifyRow(subscription({ status: 'confirmed' }), false, nonce, now, { erased: true })).toEqual({
      kind: 'report',
      reason: 'already-subscribed',
    });
    expect(classifyRow(subscription({ status: 'unsubscribed' }), false, nonce, now)).toEqual({
      kind: 'report',
      reason: 'unsubscribed',
    });
  });

  it('derives a nonce per job and address that the confirm link accepts', () => {
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(importNonce('5f0c7a52-3c1e-4a8e-9c54-2f1f3b7b9d01', 'b'.repeat(64))).not.toBe(nonce);
    expect(importNonce('6f0c7a52-3c1e-4a8e-9c54-2f1f3b7b9d01', 'a'.repeat(64))).not.toBe(nonce);
  });
});

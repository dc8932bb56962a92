import { describe, expect, it } from 'vitest';
import {
  CONFIRM_EMAIL_THROTTLE,
  evaluateThrottle,
  type ThrottleCounter,
} from '../../../functions/lib/subscriptions/throttle';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const t0 = Date.parse('2027-01-10T23:00:00Z');
const attempt = (nowMs: number, nonce = 'nonce-a', messageId = `m-${nowMs}`) => ({ nowMs, nonce, messageId });
const sent = (...times: number[]): ThrottleCounter => ({
  sent: times.map((at, i) => ({ at, nonce: `nonce-${i}`, messageId: `old-${i}` })),
});

describe('confirmation email throttle', () => {
  it('allows 3 emails in 24 hours and refuses the 4th', () => {
    let counter: ThrottleCounter | undefined;
    const allowed: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const decision = evaluateThrottle(counter, attempt(t0 + i * HOUR));
      allowed.push(decision.allowed);
      if (decision.allowed && decision.next) counter = decision.next;
    }

    expect(allowed).toEqual([true, true, true, false]);
    expect(counter?.sent).toHaveLength(3);
  });

  it('counts a rolling 24 hours, so midnight does not reset the allowance', () => {
    const counter = sent(t0, t0 + HOUR, t0 + 2 * HOUR);

    expect(evaluateThrottle(counter, attempt(t0 + 3 * HOUR))).toEqual({ allowed: false, reason: 'limit' });
    expect(evaluateThrottle(counter, attempt(t0 + 24 * HOUR - 1)).allowed).toBe(false);
    const later = evaluateThrottle(counter, attempt(t0 + 24 * HOUR));
    expect(later.allowed && later.next?.sent.map((s) => s.at)).toEqual([
      t0 + HOUR,
      t0 + 2 * HOUR,
      t0 + 24 * HOUR,
    ]);
  });

  it('sends the same link once however many sign-ups ask within a minute, and again after it', () => {
    const first = evaluateThrottle(undefined, attempt(t0, 'nonce-a', 'm1'));
    const counter = first.allowed ? first.next : undefined;

    expect(evaluateThrottle(counter, attempt(t0 + 1000, 'nonce-a', 'm2'))).toEqual({
      allowed: false,
      reason: 'repeat',
    });
    expect(evaluateThrottle(counter, attempt(t0 + MINUTE - 1, 'nonce-a', 'm3')).allowed).toBe(false);
    expect(evaluateThrottle(counter, attempt(t0 + MINUTE, 'nonce-a', 'm4')).allowed).toBe(true);
    // A new sign-up (after an unsubscribe) is another link: it is not a repeat.
    expect(evaluateThrottle(counter, attempt(t0 + 1000, 'nonce-b', 'm5')).allowed).toBe(true);
  });

  it('lets a message delivered again send again without charging the allowance twice', () => {
    const first = evaluateThrottle(undefined, attempt(t0, 'nonce-a', 'm1'));
    const counter = first.allowed ? first.next : undefined;

    expect(evaluateThrottle(counter, attempt(t0 + 30_000, 'nonce-a', 'm1'))).toEqual({ allowed: true });
  });

  it('sets the TTL 24 hours after the latest send', () => {
    const decision = evaluateThrottle(undefined, attempt(t0));

    expect(decision.allowed && decision.expiresAt).toBe(
      Math.ceil((t0 + CONFIRM_EMAIL_THROTTLE.windowMs) / 1000),
    );
  });
});

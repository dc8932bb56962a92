import { describe, expect, it } from 'vitest';
import { CONFIRM_EMAIL_THROTTLE, evaluateThrottle } from '../../../functions/lib/subscriptions/throttle';

const HOUR = 60 * 60 * 1000;
const t0 = Date.parse('2027-01-10T23:00:00Z');

describe('confirmation email throttle', () => {
  it('allows 3 emails in 24 hours and refuses the 4th', () => {
    let counter: { sentAt: number[] } | undefined;
    const allowed: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const decision = evaluateThrottle(counter, t0 + i * HOUR);
      allowed.push(decision.allowed);
      if (decision.next) counter = decision.next;
    }

    expect(allowed).toEqual([true, true, true, false]);
    expect(counter?.sentAt).toHaveLength(3);
  });

  it('counts a rolling 24 hours, so midnight does not reset the allowance', () => {
    const counter = { sentAt: [t0, t0 + HOUR, t0 + 2 * HOUR] };

    expect(evaluateThrottle(counter, t0 + 3 * HOUR).allowed).toBe(false);
    expect(evaluateThrottle(counter, t0 + 24 * HOUR - 1).allowed).toBe(false);
    const later = evaluateThrottle(counter, t0 + 24 * HOUR);
    expect(later.allowed).toBe(true);
    expect(later.next?.sentAt).toEqual([t0 + HOUR, t0 + 2 * HOUR, t0 + 24 * HOUR]);
  });

  it('sets the TTL 24 hours after the latest send', () => {
    const decision = evaluateThrottle(undefined, t0);

    expect(decision.expiresAt).toBe(Math.ceil((t0 + CONFIRM_EMAIL_THROTTLE.windowMs) / 1000));
  });

  it('changes nothing when it refuses', () => {
    expect(evaluateThrottle({ sentAt: [t0, t0, t0] }, t0)).toEqual({ allowed: false });
  });
});

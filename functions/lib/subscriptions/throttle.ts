/**
 * At most `limit` confirmation emails per address in any rolling `windowMs`. The counter keeps the
 * send times still inside the window (at most `limit` of them), so the rule holds across midnight.
 */
export interface ThrottlePolicy {
  limit: number;
  windowMs: number;
}

export const CONFIRM_EMAIL_THROTTLE: ThrottlePolicy = { limit: 3, windowMs: 24 * 60 * 60 * 1000 };

export interface ThrottleCounter {
  /** Epoch milliseconds of the sends still inside the window, oldest first. */
  sentAt: number[];
}

export interface ThrottleDecision {
  allowed: boolean;
  /** The counter to store when allowed (undefined when nothing changes). */
  next?: ThrottleCounter;
  /** TTL for the counter, epoch seconds: it means nothing once its last send leaves the window. */
  expiresAt?: number;
}

export const evaluateThrottle = (
  counter: ThrottleCounter | undefined,
  nowMs: number,
  policy: ThrottlePolicy = CONFIRM_EMAIL_THROTTLE,
): ThrottleDecision => {
  const recent = (counter?.sentAt ?? []).filter((at) => at > nowMs - policy.windowMs && at <= nowMs);
  if (recent.length >= policy.limit) return { allowed: false };
  return {
    allowed: true,
    next: { sentAt: [...recent, nowMs] },
    expiresAt: Math.ceil((nowMs + policy.windowMs) / 1000),
  };
};

/**
 * At most `limit` confirmation emails per address and campaign in any rolling `windowMs` (sign-ups
 * for one campaign never use up another's), and the same confirm link not again within
 * `repeatGapMs` (twenty sign-ups at once send one email). The counter keeps the sends still inside
 * the window, so the rule holds across midnight.
 */
export interface ThrottlePolicy {
  limit: number;
  windowMs: number;
  repeatGapMs: number;
}

export const CONFIRM_EMAIL_THROTTLE: ThrottlePolicy = {
  limit: 3,
  windowMs: 24 * 60 * 60 * 1000,
  repeatGapMs: 60 * 1000,
};

/** One confirmation email: when, for which sign-up, and the queue message that sent it. */
export interface ConfirmationSent {
  at: number;
  nonce: string;
  messageId: string;
}

export interface ThrottleCounter {
  /** The sends still inside the window, oldest first. */
  sent: ConfirmationSent[];
}

export interface ConfirmationAttempt {
  nowMs: number;
  nonce: string;
  /** A message delivered again (its send failed or its outcome is unknown) may send again. */
  messageId: string;
}

export type ThrottleDecision =
  | {
      allowed: true /** The counter to store; undefined when this message already counted. */;
      next?: ThrottleCounter;
      expiresAt?: number;
    }
  | { allowed: false; reason: 'limit' | 'repeat' };

export const evaluateThrottle = (
  counter: ThrottleCounter | undefined,
  attempt: ConfirmationAttempt,
  policy: ThrottlePolicy = CONFIRM_EMAIL_THROTTLE,
): ThrottleDecision => {
  const { nowMs } = attempt;
  const recent = (counter?.sent ?? []).filter(
    (sent) => sent.at > nowMs - policy.windowMs && sent.at <= nowMs,
  );
  if (recent.some((sent) => sent.messageId === attempt.messageId)) return { allowed: true };
  if (recent.some((sent) => sent.nonce === attempt.nonce && sent.at > nowMs - policy.repeatGapMs)) {
    return { allowed: false, reason: 'repeat' };
  }
  if (recent.length >= policy.limit) return { allowed: false, reason: 'limit' };
  return {
    allowed: true,
    next: { sent: [...recent, { at: nowMs, nonce: attempt.nonce, messageId: attempt.messageId }] },
    // The counter means nothing once its last send leaves the window.
    expiresAt: Math.ceil((nowMs + policy.windowMs) / 1000),
  };
};

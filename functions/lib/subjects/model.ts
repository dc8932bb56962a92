import type { Subscription } from '../subscriptions/model';

/** How one claim on one step ended for the address (from the call record that names it). */
export interface DeliveryOutcome {
  status: 'sent' | 'failed' | 'suppressed' | 'retry';
  /** SES's message id, for `sent`. */
  messageId?: string;
  /** Why, for the others. */
  reason?: string;
}

/** One reminder step as far as the address is concerned: its claim, and how each call that held it ended. */
export interface DeliveryTrace {
  campaignId: string;
  stepKey: string;
  /** When the sender last claimed the address for this step (ISO); absent if only a call record remains. */
  claimedAt?: string;
  outcomes: DeliveryOutcome[];
}

/** The confirmation emails sent for one campaign in the last 24 hours (the throttle's record). */
export interface ConfirmationThrottle {
  campaignId: string;
  sentAt: string[];
}

/**
 * Everything the service holds about one address, keyed by its hash (UK GDPR art. 15). The address
 * and name appear only inside subscriptions that still hold them (they are removed on unsubscribe).
 */
export interface SubjectData {
  emailHmac: string;
  subscriptions: Subscription[];
  confirmationThrottles: ConfirmationThrottle[];
  deliveries: DeliveryTrace[];
  suppression?: { reason: string; suppressedAt: string };
  /** The erasure marker: the hash and when it was erased, nothing else. */
  erasure?: { erasedAt: string };
}

/** What an erasure removed, by kind: numbers only, fit for an audit log. */
export interface ErasureCounts {
  subscriptions: number;
  confirmationThrottles: number;
  deliveryRecords: number;
  callRecords: number;
  suppressions: number;
}

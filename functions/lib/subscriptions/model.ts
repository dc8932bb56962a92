import type { Role } from '../domain/roles';
import { DAY_SECONDS } from '../shared/dates';

/** An unconfirmed sign-up, and the confirm link that belongs to it, last this long. */
export const PENDING_TTL_SECONDS = 7 * DAY_SECONDS;

export const SUBSCRIPTION_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * How a change came in: the sign-up page, the JSON API, a bulk import by an administrator, a link
 * or one-click button in an email, SES feedback (a permanent bounce or a complaint), or the
 * subscriber's own "Manage your reminders" page (`self-service`).
 */
export const SUBSCRIPTION_SOURCES = [
  'form',
  'api',
  'import',
  'email-link',
  'one-click',
  'bounce',
  'complaint',
  'self-service',
] as const;
export type SubscriptionSource = (typeof SUBSCRIPTION_SOURCES)[number];

export type HistoryEvent =
  | 'signed-up'
  | 'signed-up-again'
  | 'confirmed'
  | 'change-confirmed'
  | 'unsubscribed'
  | 'unsubscribed-all'
  | 'role-changed'
  | 'joined';

export interface HistoryEntry {
  at: string;
  event: HistoryEvent;
  source: SubscriptionSource;
}

/** A change asked for by a confirmed subscriber; applied only when the new link is confirmed. */
export interface PendingChange {
  /** Names this request: only the confirm link sent for it can apply it. */
  nonce: string;
  role: Role;
  name?: string;
  requestedAt: string;
  source: SubscriptionSource;
}

/**
 * One person's subscription to one campaign. The address is kept only to send to; it is removed on
 * unsubscribe. `version` guards every write (optimistic concurrency).
 */
export interface Subscription {
  emailHmac: string;
  campaignId: string;
  email?: string;
  name?: string;
  role: Role;
  status: SubscriptionStatus;
  source: SubscriptionSource;
  consentAt: string;
  createdAt: string;
  updatedAt: string;
  confirmedAt?: string;
  unsubscribedAt?: string;
  pendingChange?: PendingChange;
  /**
   * A random value unique to the sign-up this state came from, carried by its confirm link: the link
   * confirms that sign-up and nothing else (not a later one after an unsubscribe).
   */
  nonce?: string;
  /** The last time a sign-up asked again for what already waits for confirmation. */
  lastRequestedAt?: string;
  history: HistoryEntry[];
  /** TTL, epoch seconds. */
  expiresAt: number;
  version: number;
}

/** Keeps the history small: the last few changes are what an audit of consent needs. */
export const HISTORY_LIMIT = 10;

export const withHistory = (history: HistoryEntry[], entry: HistoryEntry): HistoryEntry[] =>
  [...history, entry].slice(-HISTORY_LIMIT);

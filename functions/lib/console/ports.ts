import type { AdminDirectory } from '../admins/directory';
import type { AuditLog } from '../audit/ports';
import type { CampaignRepository } from '../campaigns/ports';
import type { Clock } from '../clock';
import type { SubscriberCounter } from '../subscriptions/ports';
import type { ThrottleDecision, ThrottlePolicy } from '../subscriptions/throttle';
import type { ConsoleKeys } from './secrets';

/** A console session as the table keeps it, under the SHA-256 of its id. Epoch milliseconds. */
export interface SessionRecord {
  email: string;
  createdAt: number;
  lastSeenAt: number;
  endedAt?: number;
}

export interface SessionStore {
  create(storedId: string, record: SessionRecord, expiresAt: number): Promise<void>;
  get(storedId: string): Promise<SessionRecord | undefined>;
  /** Notes use: moves `lastSeenAt` and the TTL on (only while the session has not ended). */
  touch(storedId: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  /** Ends the session for good; false when it had already ended or never existed. */
  end(storedId: string, at: number): Promise<boolean>;
}

export type LinkRefusal = 'unknown' | 'used' | 'expired';

/** One-time sign-in links, under the SHA-256 of their token. */
export interface SignInLinkStore {
  create(storedId: string, link: { emailHash: string; createdAt: number; expiresAt: number }): Promise<void>;
  /** Whether the link could still be used now (for the page with the button; changes nothing). */
  peek(storedId: string, nowMs: number): Promise<{ emailHash: string } | LinkRefusal>;
  /** Uses the link (one conditional write): its address hash, or why not. */
  consume(storedId: string, nowMs: number): Promise<{ emailHash: string } | LinkRefusal>;
}

/** Sign-in emails sent per address: the same counter the confirmation emails use, on its own key. */
export interface SignInThrottle {
  consume(
    emailHash: string,
    attempt: { nowMs: number; nonce: string; messageId: string },
    policy: ThrottlePolicy,
  ): Promise<Exclude<ThrottleDecision, { allowed: true }>['reason'] | 'allowed' | 'busy'>;
}

/** What the sign-in form enqueues: a hash, never the address. */
export interface SignInRequest {
  emailHash: string;
  requestedAt: string;
}

export interface SignInQueue {
  request(message: SignInRequest): Promise<void>;
}

export interface SignInMailer {
  send(message: { to: string; subject: string; text: string; html: string }): Promise<void>;
}

/** Confirmed subscribers of a campaign by role: counts only, never who (the admin API's port). */
export type SubscriberCounts = SubscriberCounter;

/** What the console's pages and session layer need. */
export interface ConsoleDeps {
  admins: AdminDirectory;
  sessions: SessionStore;
  links: SignInLinkStore;
  signIns: SignInQueue;
  audit: AuditLog;
  campaigns: CampaignRepository;
  counts: SubscriberCounts;
  keys: () => Promise<ConsoleKeys>;
  clock: Clock;
  /** Cookies carry `Secure` unless the console is served from a loopback address. */
  secureCookies: boolean;
}

/** What the sign-in email worker needs. */
export interface SignInEmailDeps {
  admins: AdminDirectory;
  links: SignInLinkStore;
  throttle: SignInThrottle;
  mailer: SignInMailer;
  audit: AuditLog;
  keys: () => Promise<ConsoleKeys>;
  clock: Clock;
  publicBaseUrl: string;
}

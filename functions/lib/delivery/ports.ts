import type { Audience, Role } from '../domain/roles';
import type { EmailSender } from '../templates/sender';
import type { SendBatchMessage, SettledOutcome, StepCounts, StepRef, SuppressionReason } from './model';

/** A confirmed subscriber as the sender needs them; read from the table, never from a message. */
export interface Recipient {
  emailHmac: string;
  email: string;
  name?: string;
  role: Role;
}

/** The confirmed subscribers of a campaign, by role (a query on the sparse audience index). */
export interface AudienceDirectory {
  /** One page of recipient ids, in index order; `next` is an opaque cursor, absent at the end. */
  page(
    campaignId: string,
    role: Role,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ ids: string[]; next?: string }>;
  /** Those of `ids` still confirmed now (unsubscribed or suppressed since dispatch are left out). */
  load(campaignId: string, role: Role, ids: string[]): Promise<Recipient[]>;
}

export type ClaimOutcome = 'claimed' | 'settled' | 'busy';

/** How one claim ended for one recipient: settled, or free to be claimed again at once. */
export type ClaimResult = SettledOutcome | { status: 'retry'; reason: string };

/** Dispatch progress for one step: per role, the cursor after the last enqueued page, or 'done'. */
export interface DispatchProgress {
  cursors: Partial<Record<Role, string>>;
}

/** Recipients settled by one claim, by status: what that claim adds to the step's counts. */
export type SettledCounts = { sent: number; failed: number; suppressed: number };

/** What `claim` found: each recipient's outcome, and the earlier claims that had ended any of them. */
export interface ClaimAnswer {
  outcomes: Map<string, ClaimOutcome>;
  /** Earlier claims with a call record met on the way, with what each settled (to count them if their sender never did). */
  ended: Map<string, SettledCounts>;
}

/**
 * Exactly-once delivery for a step: each recipient is claimed with a conditional write before
 * sending, and each claim is completed once, after its SES call, by one record of every recipient's
 * outcome (the SES message id, a reason, or retry), then counted once into the step's counts.
 * Also the step's dispatch progress.
 */
export interface DeliveryLedger {
  /**
   * Claims each of `ids` for `claimId`: 'claimed' for us; 'settled' if an earlier claim completed
   * them; 'busy' if another claim is live. A claim completed with retry, or older than `staleAfterMs`
   * and never completed (its sender crashed), is taken over.
   */
  claim(step: StepRef, ids: string[], claimId: string, now: Date, staleAfterMs: number): Promise<ClaimAnswer>;
  /** Opens the claim's count on the step (before sending), so that it can be counted exactly once. */
  begin(step: StepRef, claimId: string): Promise<void>;
  /** Records how the claim `claimId` ended for each recipient it holds, in one write. */
  complete(step: StepRef, claimId: string, results: Map<string, ClaimResult>, now: Date): Promise<void>;
  /**
   * Adds what an ended claim settled to the step's counts and closes its count, in one write; the
   * totals after, or undefined (and nothing changed) if it was counted already.
   */
  count(step: StepRef, claimId: string, settled: SettledCounts): Promise<StepCounts | undefined>;
  /** The step's counts, its dispatch progress, and the claims begun but not yet counted. */
  getCounts(step: StepRef): Promise<StepCounts & { progress: DispatchProgress; uncounted: string[] }>;
  /**
   * Moves one role's dispatch cursor from `from` to `to` and adds `recipients`, only if the cursor is
   * still `from`: a retried dispatch that re-enqueued a page cannot count it twice. False when
   * another firing moved the cursor first.
   */
  advanceDispatch(
    step: StepRef,
    role: Role,
    from: string | undefined,
    to: string,
    recipients: number,
  ): Promise<boolean>;
  /** Marks dispatch complete (the recipient count is final) and returns the counts. */
  completeDispatch(step: StepRef): Promise<StepCounts>;
}

export interface BulkEntry {
  to: string;
  data: Record<string, string>;
  headers: { name: string; value: string }[];
}

export type BulkEntryResult =
  | { status: 'sent'; messageId: string }
  | { status: 'retry'; reason: string }
  | { status: 'failed'; reason: string };

/** SES v2 SendBulkEmail. Throws SendThrottledError or SesUnavailableError when the whole call failed. */
export interface BulkMailer {
  /** One call per step and audience: every entry is from the same campaign, so `sender` is per call. */
  sendBulk(template: string, entries: BulkEntry[], sender?: EmailSender): Promise<BulkEntryResult[]>;
}

export interface SendQueue {
  enqueue(messages: SendBatchMessage[], delaySeconds?: number): Promise<void>;
}

/** Paces sends to the account's maximum send rate (recipients per second). */
export interface RateLimiter {
  acquire(recipients: number): Promise<void>;
  /** Returns capacity that SES did not use (a throttled call). */
  refund(recipients: number): void;
}

/** What the sender needs to know of the step: ids, its template per audience and the campaign's words. */
export interface StepContext {
  /** Template data for each role (campaign name, dates, the nation's variants, the role's contact). */
  words: Record<Role, Record<string, string>>;
  /** True while the step may still send (campaign open, step at this version, not cancelled). */
  live: boolean;
  /** The campaign was cancelled while this step (at this version) was due or sending: end it `cancelled`. */
  interrupted: boolean;
  templates: Partial<Record<Audience, string>>;
}

export interface StepLookup {
  stepContext(step: StepRef, version: number): Promise<StepContext | undefined>;
  /** Marks the step `sent` once every recipient has settled. */
  markSent(step: StepRef, version: number, at: Date): Promise<void>;
  /** Marks the step `sending` with its recipient count once dispatch has enqueued everyone. */
  markSending(step: StepRef, version: number, recipients: number): Promise<void>;
  /** Marks a step whose campaign was cancelled mid-send `cancelled` (nothing more of it goes). */
  markCancelled(step: StepRef, version: number, at: Date): Promise<void>;
}

export interface DeliveryMetrics {
  sent(count: number): void;
  failed(count: number): void;
  throttled(count: number): void;
  latency(ms: number): void;
}

/** Stops all mail to an address, for every campaign. */
export interface Suppressor {
  suppress(emailHmac: string, reason: SuppressionReason, now: Date): Promise<void>;
}

/** Records that an address must get no more mail (checked before any confirmation email). */
export interface SuppressionList {
  add(emailHmac: string, reason: SuppressionReason, now: Date): Promise<void>;
}

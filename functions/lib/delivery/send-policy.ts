import { SendThrottledError, SesUnavailableError } from './errors';
import { DAILY_QUOTA_EXCEEDED, type SendBatchMessage } from './model';
import type { BulkEntryResult, ClaimResult, SettledCounts } from './ports';

/**
 * The sender's decisions, as plain functions of their inputs (no I/O, no clock, no randomness of
 * their own): how an SES call ended, whether to retry it in place, how long to wait, and what a
 * claim's results come to once attempts are counted.
 */

/** What one SendBulkEmail call came to, as the sender tells the cases apart. */
export type SesCallOutcome =
  /** SES answered with a result per recipient (each sent, failed, or to retry). */
  | { kind: 'answered'; results: BulkEntryResult[] }
  /** SES refused the call for rate (429): nothing was sent. */
  | { kind: 'throttled'; reason: string }
  /** SES answered 5xx or could not be reached, or sending is paused: nothing was sent. */
  | { kind: 'temporary'; reason: string }
  /** SES refused the request itself (another 4xx, e.g. a missing template): it will fail again. */
  | { kind: 'permanent'; reason: string }
  /** An error the mailer could not place: not an SES answer, so whether SES took the call is unknown. */
  | { kind: 'ambiguous'; error: unknown };

/** How a failed SendBulkEmail call is classed (throttling and unavailability are told apart by the mailer). */
export const classifySesError = (error: unknown): Exclude<SesCallOutcome, { kind: 'answered' }> => {
  if (error instanceof SendThrottledError) return { kind: 'throttled', reason: error.name };
  if (error instanceof SesUnavailableError) return { kind: 'temporary', reason: error.name };
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { kind: 'permanent', reason: (error as Error).name };
  }
  return { kind: 'ambiguous', error };
};

/** A call SES refused without sending anything, which may succeed if tried again. */
export const isRetryable = (
  outcome: SesCallOutcome,
): outcome is { kind: 'throttled' | 'temporary'; reason: string } =>
  outcome.kind === 'throttled' || outcome.kind === 'temporary';

/** Retry a refused call in place (while the claims are held, cheap) after `attempt` quick retries? */
export const retryInline = (outcome: SesCallOutcome, attempt: number, inlineRetries: number) =>
  isRetryable(outcome) && attempt < inlineRetries;

/** Jittered exponential backoff before quick retry number `attempt` (from 0); `jitter` in [0, 1). */
export const inlineRetryDelayMs = (attempt: number, baseMs: number, jitter: number) =>
  baseMs * 2 ** attempt * (0.5 + jitter);

/** Backoff before re-queued attempt `attempt + 1`: base × 2^(attempt−1) seconds (the queue caps it). */
export const requeueDelaySeconds = (attempt: number, baseSeconds: number) => baseSeconds * 2 ** (attempt - 1);

/** How long recipients refused for the account's daily quota wait before the next try: SQS's longest delay. */
export const QUOTA_RETRY_DELAY_SECONDS = 900;

/** True while a message at `attempt` may still be re-queued (attempts run from 1). */
export const hasAttemptsLeft = (attempt: number, maxAttempts: number) => attempt < maxAttempts;

/**
 * Each recipient's result from the call's outcome, in the order of the entries sent. An `ambiguous`
 * call has no results: the caller ends the claim as retry and rethrows.
 */
export const recipientResults = (
  outcome: Exclude<SesCallOutcome, { kind: 'ambiguous' }>,
  recipients: number,
): ClaimResult[] =>
  Array.from({ length: recipients }, (_, index): ClaimResult => {
    switch (outcome.kind) {
      case 'answered':
        return outcome.results[index] ?? { status: 'retry', reason: 'no-result' };
      case 'permanent':
        return { status: 'failed', reason: outcome.reason };
      default:
        return { status: 'retry', reason: outcome.reason };
    }
  });

/** What a claim's results come to once attempts are counted: the record to write, and what goes back. */
export interface ClaimPlan {
  /** Every recipient's result as recorded: a retry whose attempts ran out becomes failed. */
  results: Map<string, ClaimResult>;
  /** What the claim adds to the step's counts. */
  settled: SettledCounts;
  /** Re-queued with backoff, at the next attempt. */
  retry: string[];
  /** Refused for the daily quota: re-queued after the longest delay, attempt unchanged. */
  overQuota: string[];
}

/** Plans the end of a claim from each recipient's result and the message's attempt. */
export const planClaimEnd = (
  results: ReadonlyMap<string, ClaimResult>,
  attempt: number,
  maxAttempts: number,
): ClaimPlan => {
  const exhausted = !hasAttemptsLeft(attempt, maxAttempts);
  const plan: ClaimPlan = {
    results: new Map(),
    settled: { sent: 0, failed: 0, suppressed: 0 },
    retry: [],
    overQuota: [],
  };
  for (const [id, result] of results) {
    let recorded = result;
    if (result.status === 'retry') {
      if (result.reason === DAILY_QUOTA_EXCEEDED) plan.overQuota.push(id);
      else if (exhausted) recorded = { status: 'failed', reason: `${result.reason}: retries exhausted` };
      else plan.retry.push(id);
    }
    plan.results.set(id, recorded);
    if (recorded.status !== 'retry') plan.settled[recorded.status] += 1;
  }
  return plan;
};

/** The messages that carry a plan's re-queued recipients, each with its delay. */
export const requeueMessages = (
  message: SendBatchMessage,
  plan: Pick<ClaimPlan, 'retry' | 'overQuota'>,
  retryBaseDelaySeconds: number,
): { message: SendBatchMessage; delaySeconds: number }[] => [
  ...(plan.retry.length > 0
    ? [
        {
          message: { ...message, recipients: plan.retry, attempt: message.attempt + 1 },
          delaySeconds: requeueDelaySeconds(message.attempt, retryBaseDelaySeconds),
        },
      ]
    : []),
  // The daily quota frees up over hours, not seconds: wait as long as SQS allows, attempt unchanged.
  ...(plan.overQuota.length > 0
    ? [{ message: { ...message, recipients: plan.overQuota }, delaySeconds: QUOTA_RETRY_DELAY_SECONDS }]
    : []),
];

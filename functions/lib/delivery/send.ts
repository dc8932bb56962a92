import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { audienceOf, ROLE_LABELS } from '../domain/roles';
import { unsubscribeHeaders } from '../subscriptions/links';
import { SendThrottledError, SesUnavailableError } from './errors';
import {
  isSettled,
  type SendBatchMessage,
  type SettledOutcome,
  type StepCounts,
  type StepRef,
} from './model';
import type {
  AudienceDirectory,
  BulkEntry,
  BulkMailer,
  DeliveryLedger,
  DeliveryMetrics,
  RateLimiter,
  Recipient,
  SendQueue,
  StepLookup,
} from './ports';

export interface SendDeps {
  audience: AudienceDirectory;
  ledger: DeliveryLedger;
  mailer: BulkMailer;
  limiter: RateLimiter;
  queue: SendQueue;
  steps: StepLookup;
  clock: Clock;
  metrics: DeliveryMetrics;
  /** The one-click unsubscribe link for a recipient of a campaign. */
  unsubscribeUrl: (emailHmac: string, campaignId: string) => string;
  templatePrefix: string;
  /** A claim older than this is taken to be left behind by a crash, and may be claimed again. */
  claimTimeoutMs: number;
  /** Throttled recipients are re-queued at most this many times before they are recorded as failed. */
  maxAttempts: number;
  /** Backoff for re-queued recipients: base × 2^(attempt−1) seconds, capped at 900 (SQS's limit). */
  retryBaseDelaySeconds: number;
  /** Quick retries of a throttled SES call before falling back to the queue (jittered backoff). */
  inlineRetries: number;
  inlineRetryBaseMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SendOutcome {
  sent: number;
  failed: number;
  suppressed: number;
  requeued: number;
  /** Recipients another sender holds (a duplicate message): the message must come back later. */
  busy: number;
  /** The step's counts after this batch's last update, if it made one. */
  totals?: StepCounts;
}

/**
 * Sends one queued batch: claims each recipient with a conditional write, sends the claimed ones in
 * one SES SendBulkEmail call at the account's rate, and settles each with its SES message id or its
 * reason, adding to the step's counts straight after. Throttled recipients are re-queued with backoff
 * (only those). A repeated message or firing never sends twice; a crash between claim and send skips
 * nobody (the claim is taken over after the timeout). A crash after SES accepted a call but before
 * the recipients were settled would send those again after the timeout: SES has no idempotency key.
 */
export const sendBatch = async (deps: SendDeps, message: SendBatchMessage): Promise<SendOutcome> => {
  const step: StepRef = { campaignId: message.campaignId, stepKey: message.stepKey };
  const outcome: SendOutcome = { sent: 0, failed: 0, suppressed: 0, requeued: 0, busy: 0 };
  const context = await deps.steps.stepContext(step, message.version);
  const template = context?.templates[audienceOf(message.role)];
  const now = deps.clock.now();

  if (!context?.live || !template) {
    // Cancelled or superseded since dispatch: nothing more is sent. A live step without a template
    // for this audience is a configuration fault, recorded as a failure so that it shows.
    const settled: SettledOutcome = context?.live
      ? { status: 'failed', reason: 'template-missing' }
      : { status: 'suppressed', reason: 'step-cancelled' };
    await settleUnclaimed(deps, step, message.recipients, settled, now, outcome);
    return finish(deps, step, message, outcome);
  }

  const recipients = await deps.audience.load(message.campaignId, message.role, message.recipients);
  const present = new Set(recipients.map((recipient) => recipient.emailHmac));
  const gone = message.recipients.filter((id) => !present.has(id));
  const left: SettledOutcome = { status: 'suppressed', reason: 'no-longer-subscribed' };
  await settleUnclaimed(deps, step, gone, left, now, outcome);

  const claimId = randomUUID();
  const claims = await Promise.all(
    recipients.map(async (recipient) => ({
      recipient,
      claim: await deps.ledger.claim(step, recipient.emailHmac, claimId, now, deps.claimTimeoutMs),
    })),
  );
  const claimed = claims.filter((c) => c.claim === 'claimed').map((c) => c.recipient);
  outcome.busy = claims.filter((c) => c.claim === 'busy').length;
  if (claimed.length === 0) return finish(deps, step, message, outcome);
  const release = (list: Recipient[]) =>
    Promise.all(list.map((r) => deps.ledger.release(step, r.emailHmac, claimId)));

  const entries = claimed.map((recipient) => toEntry(deps, context, message, recipient));
  let results: Awaited<ReturnType<BulkMailer['sendBulk']>> | undefined;
  let started = 0;
  // A throttled or failed call is retried here a few times with backoff while we hold the claims
  // (cheap); if SES still refuses, the claims are released and the recipients re-queued (durable).
  for (let attempt = 0; !results; attempt++) {
    await deps.limiter.acquire(claimed.length);
    started = performance.now();
    try {
      results = await deps.mailer.sendBulk(`${deps.templatePrefix}${template}`, entries);
    } catch (error) {
      if (isPermanent(error)) {
        // SES refused the request itself (e.g. a missing template): it will not succeed as it is.
        const failed: SettledOutcome = { status: 'failed', reason: (error as Error).name };
        await settleClaimed(deps, step, claimed, claimId, () => failed, outcome);
        return finish(deps, step, message, outcome);
      }
      if (!(error instanceof SendThrottledError || error instanceof SesUnavailableError)) {
        await release(claimed);
        throw error;
      }
      // SES sent nothing: give the capacity back.
      deps.limiter.refund(claimed.length);
      deps.metrics.throttled(claimed.length);
      if (attempt < deps.inlineRetries) {
        await sleep(deps.inlineRetryBaseMs * 2 ** attempt * (0.5 + Math.random()));
        continue;
      }
      await release(claimed);
      await retryLater(deps, step, message, claimed, error.name, outcome);
      return finish(deps, step, message, outcome);
    }
  }
  deps.metrics.latency(performance.now() - started);

  const outcomes = claimed.map(
    (_, index) => results[index] ?? { status: 'retry' as const, reason: 'no-result' },
  );
  const retry = claimed.filter((_, index) => outcomes[index]?.status === 'retry');
  await release(retry);
  const done = claimed.filter((_, index) => outcomes[index]?.status !== 'retry');
  await settleClaimed(
    deps,
    step,
    done,
    claimId,
    (recipient) => {
      const result = outcomes[claimed.indexOf(recipient)];
      return result?.status === 'sent'
        ? { status: 'sent', messageId: result.messageId }
        : { status: 'failed', reason: result?.reason ?? 'FAILED' };
    },
    outcome,
  );
  if (retry.length > 0) {
    deps.metrics.throttled(retry.length);
    await retryLater(deps, step, message, retry, 'throttled', outcome);
  }
  return finish(deps, step, message, outcome);
};

/** SES answered 4xx for the whole request (not throttling): the same request will fail again. */
const isPermanent = (error: unknown) => {
  if (error instanceof SendThrottledError || error instanceof SesUnavailableError) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
};

const toEntry = (
  deps: SendDeps,
  context: { campaignName: string; pollDate: string },
  message: SendBatchMessage,
  recipient: Recipient,
): BulkEntry => {
  const unsubscribeUrl = deps.unsubscribeUrl(recipient.emailHmac, message.campaignId);
  return {
    to: recipient.email,
    data: {
      ...(recipient.name ? { name: recipient.name } : {}),
      campaignName: context.campaignName,
      pollDate: context.pollDate,
      role: ROLE_LABELS[recipient.role],
      unsubscribeUrl,
    },
    headers: unsubscribeHeaders(unsubscribeUrl),
  };
};

/** Re-queues only the recipients that must be retried, or records them failed once attempts run out. */
const retryLater = async (
  deps: SendDeps,
  step: StepRef,
  message: SendBatchMessage,
  recipients: Recipient[],
  reason: string,
  outcome: SendOutcome,
) => {
  if (message.attempt >= deps.maxAttempts) {
    const failed: SettledOutcome = { status: 'failed', reason: `${reason}: retries exhausted` };
    const ids = recipients.map((r) => r.emailHmac);
    await settleUnclaimed(deps, step, ids, failed, deps.clock.now(), outcome);
    return;
  }
  const delay = Math.min(900, Math.round(deps.retryBaseDelaySeconds * 2 ** (message.attempt - 1)));
  await deps.queue.enqueue(
    [{ ...message, recipients: recipients.map((r) => r.emailHmac), attempt: message.attempt + 1 }],
    delay,
  );
  outcome.requeued += recipients.length;
};

/**
 * Settles recipients we hold no claim on (or whose claims we released): only those with no record
 * yet or a claim left behind by a crash, so a duplicate message never counts anyone twice. The
 * step's counts are updated at once.
 */
const settleUnclaimed = async (
  deps: SendDeps,
  step: StepRef,
  ids: string[],
  settled: SettledOutcome,
  now: Date,
  outcome: SendOutcome,
): Promise<void> => {
  const staleBefore = new Date(now.getTime() - deps.claimTimeoutMs);
  const changed = await Promise.all(
    ids.map((id) => deps.ledger.settle(step, id, settled, now, { staleBefore })),
  );
  await count(deps, step, outcome, { [settled.status]: changed.filter(Boolean).length });
};

/** Settles recipients under our claim, then updates the step's counts at once (before any re-queue). */
const settleClaimed = async (
  deps: SendDeps,
  step: StepRef,
  recipients: Recipient[],
  claimId: string,
  outcomeOf: (recipient: Recipient) => SettledOutcome,
  outcome: SendOutcome,
): Promise<void> => {
  const now = deps.clock.now();
  const delta = { sent: 0, failed: 0, suppressed: 0 };
  await Promise.all(
    recipients.map(async (recipient) => {
      const settled = outcomeOf(recipient);
      if (await deps.ledger.settle(step, recipient.emailHmac, settled, now, { claimId }))
        delta[settled.status] += 1;
    }),
  );
  await count(deps, step, outcome, delta);
};

/** Adds settled recipients to the step's counts and to this batch's outcome. */
const count = async (deps: SendDeps, step: StepRef, outcome: SendOutcome, delta: Partial<StepCounts>) => {
  const sent = delta.sent ?? 0;
  const failed = delta.failed ?? 0;
  const suppressed = delta.suppressed ?? 0;
  if (sent + failed + suppressed === 0) return;
  outcome.sent += sent;
  outcome.failed += failed;
  outcome.suppressed += suppressed;
  deps.metrics.sent(sent);
  deps.metrics.failed(failed);
  outcome.totals = await deps.ledger.addCounts(step, { sent, failed, suppressed });
};

/**
 * The step becomes `sent` once dispatch is complete and every recipient has settled. A batch that
 * counted nothing (a repeat) reads the counts, so a `sent` mark missed by a crash is made later.
 */
const finish = async (deps: SendDeps, step: StepRef, message: SendBatchMessage, outcome: SendOutcome) => {
  const totals = outcome.totals ?? (outcome.busy === 0 ? await deps.ledger.getCounts(step) : undefined);
  if (totals && isSettled(totals)) await deps.steps.markSent(step, message.version, deps.clock.now());
  return outcome;
};

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
}

/**
 * Sends one queued batch: claims each recipient with a conditional write, sends the claimed ones in
 * one SES SendBulkEmail call at the account's rate, and settles each with its SES message id or its
 * reason. Throttled recipients are re-queued with backoff (only those); a repeated message, a repeated
 * firing or a crash between claim and send never sends twice and never skips anyone.
 */
export const sendBatch = async (deps: SendDeps, message: SendBatchMessage): Promise<SendOutcome> => {
  const step: StepRef = { campaignId: message.campaignId, stepKey: message.stepKey };
  const outcome: SendOutcome = { sent: 0, failed: 0, suppressed: 0, requeued: 0, busy: 0 };
  const context = await deps.steps.stepContext(step, message.version);
  const template = context?.templates[audienceOf(message.role)];
  const now = deps.clock.now();

  if (!context?.live || !template) {
    // Cancelled or superseded since dispatch: nothing more is sent, and each recipient is accounted for.
    await settleAll(
      deps,
      step,
      message.recipients,
      { status: 'suppressed', reason: 'step-cancelled' },
      now,
      outcome,
    );
    return finish(deps, step, message, outcome);
  }

  const recipients = await deps.audience.load(message.campaignId, message.role, message.recipients);
  const present = new Set(recipients.map((recipient) => recipient.emailHmac));
  const gone = message.recipients.filter((id) => !present.has(id));
  await settleAll(deps, step, gone, { status: 'suppressed', reason: 'no-longer-subscribed' }, now, outcome);

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
      if (!(error instanceof SendThrottledError || error instanceof SesUnavailableError)) throw error;
      // SES sent nothing: give the capacity back.
      deps.limiter.refund(claimed.length);
      deps.metrics.throttled(claimed.length);
      if (attempt < deps.inlineRetries) {
        await sleep(deps.inlineRetryBaseMs * 2 ** attempt * (0.5 + Math.random()));
        continue;
      }
      await Promise.all(claimed.map((r) => deps.ledger.release(step, r.emailHmac, claimId)));
      await retryLater(deps, step, message, claimed, error.name, outcome);
      return finish(deps, step, message, outcome);
    }
  }
  deps.metrics.latency(performance.now() - started);

  const retry: Recipient[] = [];
  await Promise.all(
    claimed.map(async (recipient, index) => {
      const result = results[index] ?? { status: 'retry' as const, reason: 'no-result' };
      if (result.status === 'retry') {
        await deps.ledger.release(step, recipient.emailHmac, claimId);
        retry.push(recipient);
        return;
      }
      const settled: SettledOutcome =
        result.status === 'sent'
          ? { status: 'sent', messageId: result.messageId }
          : { status: 'failed', reason: result.reason };
      if (await deps.ledger.settle(step, recipient.emailHmac, settled, deps.clock.now(), { claimId })) {
        outcome[result.status] += 1;
      }
    }),
  );
  if (retry.length > 0) {
    deps.metrics.throttled(retry.length);
    await retryLater(deps, step, message, retry, 'throttled', outcome);
  }
  return finish(deps, step, message, outcome);
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
    await settleAll(
      deps,
      step,
      recipients.map((r) => r.emailHmac),
      failed,
      deps.clock.now(),
      outcome,
    );
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
 * yet or a claim left behind by a crash, so a duplicate message never counts anyone twice.
 */
const settleAll = async (
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
  const count = changed.filter(Boolean).length;
  if (settled.status !== 'sent') outcome[settled.status] += count;
};

/** Adds this batch's outcomes to the step's counts; the step is `sent` once everyone has settled. */
const finish = async (deps: SendDeps, step: StepRef, message: SendBatchMessage, outcome: SendOutcome) => {
  deps.metrics.sent(outcome.sent);
  deps.metrics.failed(outcome.failed);
  const delta: Partial<StepCounts> = {
    sent: outcome.sent,
    failed: outcome.failed,
    suppressed: outcome.suppressed,
  };
  if (outcome.sent + outcome.failed + outcome.suppressed === 0) return outcome;
  const totals = await deps.ledger.addCounts(step, delta);
  if (isSettled(totals)) {
    await deps.steps.markSent(step, message.version, deps.clock.now());
  }
  return outcome;
};

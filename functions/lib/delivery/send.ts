import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock';
import { audienceOf } from '../domain/roles';
import { unsubscribeHeaders } from '../subscriptions/links';
import { type EmailSender, emailSender } from '../templates/sender';
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
  ClaimResult,
  DeliveryLedger,
  DeliveryMetrics,
  RateLimiter,
  Recipient,
  SendQueue,
  SettledCounts,
  StepContext,
  StepLookup,
} from './ports';
import {
  classifySesError,
  inlineRetryDelayMs,
  planClaimEnd,
  recipientResults,
  requeueMessages,
  retryInline,
  type SesCallOutcome,
} from './send-policy';

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
  /** The recipient's "Manage your reminders" link, built here like the unsubscribe link (never queued). */
  manageUrl: (emailHmac: string, campaignId: string) => string;
  /** The public web copy of the step's reminder for a role. */
  reminderPageUrl: (campaignId: string, stepKey: string, role: Recipient['role']) => string;
  templatePrefix: string;
  /** A claim older than this is taken to be left behind by a crash, and may be claimed again. */
  claimTimeoutMs: number;
  /** Throttled recipients are re-queued at most this many times before they are recorded as failed. */
  maxAttempts: number;
  /** Backoff for re-queued recipients: base × 2^(attempt−1) seconds (the queue caps it at SQS's 900). */
  retryBaseDelaySeconds: number;
  /** Quick retries of a throttled SES call before falling back to the queue (jittered backoff). */
  inlineRetries: number;
  inlineRetryBaseMs: number;
}

/** What one batch's claims added to the step's counts, and how many recipients went back to the queue. */
export interface BatchTally {
  sent: number;
  failed: number;
  suppressed: number;
  requeued: number;
  /** The step's counts after this batch's last count, if it made one. */
  totals?: StepCounts;
}

export interface SendOutcome extends BatchTally {
  /** Recipients another sender holds (a duplicate message): the message must come back later. */
  busy: number;
}

const NOTHING: BatchTally = { sent: 0, failed: 0, suppressed: 0, requeued: 0 };

/** Two tallies one after the other: the numbers add up, the later totals stand. */
const addTallies = (first: BatchTally, second: BatchTally): BatchTally => ({
  sent: first.sent + second.sent,
  failed: first.failed + second.failed,
  suppressed: first.suppressed + second.suppressed,
  requeued: first.requeued + second.requeued,
  ...((second.totals ?? first.totals) ? { totals: second.totals ?? first.totals } : {}),
});

/**
 * Sends one queued batch: claims each recipient with a conditional write, sends the claimed ones in
 * one SES SendBulkEmail call at the account's rate, then completes the claim with one record of each
 * recipient's SES message id or reason and counts it into the step's counts, once (a repeat of the
 * message counts it if the sender died in between). Throttled recipients are re-queued with backoff
 * (only those). A repeated message or firing never sends twice; a crash between claim and send skips
 * nobody (the claim is taken over after the timeout). A crash after SES accepted a call but before
 * the claim was completed would send those again after the timeout: SES has no idempotency key.
 */
export const sendBatch = async (deps: SendDeps, message: SendBatchMessage): Promise<SendOutcome> => {
  const step: StepRef = { campaignId: message.campaignId, stepKey: message.stepKey };
  const context = await deps.steps.stepContext(step, message.version);
  const template = context?.templates[audienceOf(message.role)];

  const claimId = randomUUID();
  const ids = [...new Set(message.recipients)];
  const { outcomes: claims, ended } = await deps.ledger.claim(
    step,
    ids,
    claimId,
    deps.clock.now(),
    deps.claimTimeoutMs,
  );
  const earlier = ended.size > 0 ? await countEnded(deps, step, ended) : undefined;
  const claimed = ids.filter((id) => claims.get(id) === 'claimed');
  const busy = ids.filter((id) => claims.get(id) === 'busy').length;
  if (claimed.length === 0) {
    return finish(deps, step, message, { ...(earlier?.tally ?? NOTHING), busy }, earlier?.read);
  }
  await deps.ledger.begin(step, claimId);

  const results = new Map<string, ClaimResult>();
  if (!context?.live || !template) {
    // Cancelled or superseded since dispatch: nothing more is sent. A live step without a template
    // for this audience is a configuration fault, recorded as a failure so that it shows.
    const settled: SettledOutcome = context?.live
      ? { status: 'failed', reason: 'template-missing' }
      : { status: 'suppressed', reason: 'step-cancelled' };
    for (const id of claimed) results.set(id, settled);
    const done = await complete(deps, step, message, claimId, results);
    // The campaign was cancelled mid-send: the step ends `cancelled`, not `sending` for ever.
    if (context?.interrupted) await deps.steps.markCancelled(step, message.version, deps.clock.now());
    return finish(deps, step, message, { ...addTallies(earlier?.tally ?? NOTHING, done), busy });
  }

  const recipients = await deps.audience.load(message.campaignId, message.role, claimed);
  const present = new Set(recipients.map((recipient) => recipient.emailHmac));
  for (const id of claimed) {
    if (!present.has(id)) results.set(id, { status: 'suppressed', reason: 'no-longer-subscribed' });
  }
  if (recipients.length > 0) {
    const entries = recipients.map((recipient) => toEntry(deps, context, message, recipient));
    // From the campaign's organiser, with replies to them; the same for every role of the campaign.
    const sender = emailSender(context.words[message.role] ?? {});
    const call = await callSes(deps, `${deps.templatePrefix}${template}`, entries, sender);
    if (call.kind === 'ambiguous') {
      // An error the mailer could not place (not an SES answer, nor a network error, which it reports
      // as SesUnavailableError): end the claim as retry, so the message that comes back takes the
      // recipients at once instead of after the claim timeout. All of them, those who left too:
      // nothing is added to the counts here (the zero count only closes the claim's count).
      for (const id of claimed) results.set(id, { status: 'retry', reason: 'interrupted' });
      await deps.ledger.complete(step, claimId, results, deps.clock.now());
      await deps.ledger.count(step, claimId, { sent: 0, failed: 0, suppressed: 0 });
      throw call.error;
    }
    const answers = recipientResults(call, recipients.length);
    recipients.forEach((recipient, index) => {
      results.set(recipient.emailHmac, answers[index] as ClaimResult);
    });
    if (call.kind === 'answered') {
      const retries = call.results.filter((result) => result.status === 'retry').length;
      if (retries > 0) deps.metrics.throttled(retries);
    }
  }
  const done = await complete(deps, step, message, claimId, results);
  return finish(deps, step, message, { ...addTallies(earlier?.tally ?? NOTHING, done), busy });
};

/**
 * One SendBulkEmail call at the account's rate. A throttled or failed call is retried here a few
 * times with jittered backoff while we hold the claims (cheap); if SES still refuses, the recipients
 * are re-queued (durable).
 */
const callSes = async (
  deps: SendDeps,
  template: string,
  entries: BulkEntry[],
  sender: EmailSender,
): Promise<SesCallOutcome> => {
  for (let attempt = 0; ; attempt++) {
    await deps.limiter.acquire(entries.length);
    const started = performance.now();
    let outcome: SesCallOutcome;
    try {
      const results = await deps.mailer.sendBulk(template, entries, sender);
      deps.metrics.latency(performance.now() - started);
      return { kind: 'answered', results };
    } catch (error) {
      outcome = classifySesError(error);
    }
    if (outcome.kind === 'permanent' || outcome.kind === 'ambiguous') return outcome;
    // SES sent nothing: give the capacity back.
    deps.limiter.refund(entries.length);
    deps.metrics.throttled(entries.length);
    if (!retryInline(outcome, attempt, deps.inlineRetries)) return outcome;
    await sleep(inlineRetryDelayMs(attempt, deps.inlineRetryBaseMs, Math.random()));
  }
};

const toEntry = (
  deps: SendDeps,
  context: Pick<StepContext, 'words'>,
  message: SendBatchMessage,
  recipient: Recipient,
): BulkEntry => {
  const unsubscribeUrl = deps.unsubscribeUrl(recipient.emailHmac, message.campaignId);
  return {
    to: recipient.email,
    data: {
      ...context.words[recipient.role],
      ...(recipient.name ? { name: recipient.name } : {}),
      unsubscribeUrl,
      manageUrl: deps.manageUrl(recipient.emailHmac, message.campaignId),
      webVersionUrl: deps.reminderPageUrl(message.campaignId, message.stepKey, recipient.role),
    },
    headers: unsubscribeHeaders(unsubscribeUrl),
  };
};

/**
 * Ends our claim with one write of every recipient's result, then adds the settled ones to the step's
 * counts and re-queues only those to retry, with backoff (or records them failed once attempts run
 * out). The record comes first, so the re-queued message can take the recipients over at once.
 */
const complete = async (
  deps: SendDeps,
  step: StepRef,
  message: SendBatchMessage,
  claimId: string,
  results: ReadonlyMap<string, ClaimResult>,
): Promise<BatchTally> => {
  const plan = planClaimEnd(results, message.attempt, deps.maxAttempts);
  await deps.ledger.complete(step, claimId, plan.results, deps.clock.now());
  const counted = await count(deps, step, claimId, plan.settled);
  for (const requeue of requeueMessages(message, plan, deps.retryBaseDelaySeconds)) {
    await deps.queue.enqueue([requeue.message], requeue.delaySeconds);
  }
  return { ...counted, requeued: plan.retry.length + plan.overQuota.length };
};

/** Counts an ended claim into the step's counts, unless it was counted already: what it added. */
const count = async (
  deps: SendDeps,
  step: StepRef,
  claimId: string,
  settled: SettledCounts,
): Promise<BatchTally> => {
  const totals = await deps.ledger.count(step, claimId, settled);
  if (!totals) return NOTHING;
  deps.metrics.sent(settled.sent);
  deps.metrics.failed(settled.failed);
  return { ...settled, requeued: 0, totals };
};

/**
 * A repeated message whose recipients earlier claims ended: any of those claims still uncounted lost
 * its sender between its call record and its count, so it is counted now (once, whoever gets there).
 */
const countEnded = async (deps: SendDeps, step: StepRef, ended: Map<string, SettledCounts>) => {
  const read = await deps.ledger.getCounts(step);
  let tally = NOTHING;
  for (const earlier of read.uncounted) {
    const settled = ended.get(earlier);
    if (settled) tally = addTallies(tally, await count(deps, step, earlier, settled));
  }
  return { tally, read };
};

/**
 * The step becomes `sent` once dispatch is complete and every recipient has settled. A batch that
 * counted nothing (a repeat) reads the counts (or uses those it read already), so a `sent` mark
 * missed by a crash is made later. Answers the batch's outcome as it is.
 */
const finish = async (
  deps: SendDeps,
  step: StepRef,
  message: SendBatchMessage,
  outcome: SendOutcome,
  read?: StepCounts,
): Promise<SendOutcome> => {
  const totals =
    outcome.totals ?? (outcome.busy === 0 ? (read ?? (await deps.ledger.getCounts(step))) : undefined);
  if (totals && isSettled(totals)) await deps.steps.markSent(step, message.version, deps.clock.now());
  return outcome;
};

import type { Clock } from '../clock';
import type { Role } from '../domain/roles';
import { isSettled, MAX_RECIPIENTS_PER_MESSAGE, type SendBatchMessage, type StepRef } from './model';
import type { AudienceDirectory, DeliveryLedger, SendQueue, StepLookup } from './ports';

export interface FanOutDeps {
  clock: Clock;
  audience: AudienceDirectory;
  ledger: DeliveryLedger;
  queue: SendQueue;
  steps: StepLookup;
}

/** Recipients read per page: ten queue messages of 50, sent in one SendMessageBatch call. */
const DISPATCH_PAGE_SIZE = MAX_RECIPIENTS_PER_MESSAGE * 10;

const DONE = 'done';

/**
 * Fans a due step out to its confirmed subscribers: pages through each targeted role's audience (a
 * query on the sparse index: unsubscribed and suppressed subscribers are not in it), enqueues
 * batches of up to 50 ids, and moves a per-role cursor after each page with a conditional write.
 * A retried firing resumes after the last recorded page; a page enqueued twice (a crash between
 * enqueue and cursor, or two firings racing) is harmless, because the sender claims each recipient
 * once, and it is counted once, because only one firing moves the cursor past it. A firing after
 * dispatch finished enqueues nothing.
 */
export const fanOutStep = async (
  deps: FanOutDeps,
  step: StepRef & { version: number; roles: Role[] },
): Promise<{ enqueued: number; recipients: number }> => {
  const { progress } = await deps.ledger.getCounts(step);
  let enqueued = 0;
  for (const role of step.roles) {
    let cursor = progress.cursors[role];
    while (cursor !== DONE) {
      // A campaign cancelled (or a step moved) mid-fan-out: enqueue no more; the senders settle what
      // was queued without sending it, and a cancelled step ends `cancelled`.
      const context = await deps.steps.stepContext(step, step.version);
      if (!context?.live) {
        if (context?.interrupted) await deps.steps.markCancelled(step, step.version, deps.clock.now());
        return { enqueued, recipients: (await deps.ledger.getCounts(step)).recipients };
      }
      const page = await deps.audience.page(step.campaignId, role, cursor, DISPATCH_PAGE_SIZE);
      const messages = chunk(page.ids, MAX_RECIPIENTS_PER_MESSAGE).map(
        (recipients): SendBatchMessage => ({
          campaignId: step.campaignId,
          stepKey: step.stepKey,
          version: step.version,
          role,
          recipients,
          attempt: 1,
        }),
      );
      if (messages.length > 0) await deps.queue.enqueue(messages);
      const next = page.next ?? DONE;
      if (await deps.ledger.advanceDispatch(step, role, cursor, next, page.ids.length)) {
        enqueued += page.ids.length;
        cursor = next;
      } else {
        // Another firing of the same step moved this cursor first (it enqueued and counted that
        // page): continue from where it recorded, so every page is counted once.
        cursor = (await deps.ledger.getCounts(step)).progress.cursors[role];
      }
    }
  }
  const counts = await deps.ledger.completeDispatch(step);
  await deps.steps.markSending(step, step.version, counts.recipients);
  // The senders may all have finished before dispatch did (or there was nobody to send to).
  if (isSettled(counts)) await deps.steps.markSent(step, step.version, deps.clock.now());
  return { enqueued, recipients: counts.recipients };
};

const chunk = <T>(items: T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};

import { z } from 'zod';
import { ROLES } from '../domain/roles';

/** SES SendBulkEmail takes at most 50 destinations: one queue message is one SES call. */
export const MAX_RECIPIENTS_PER_MESSAGE = 50;

/**
 * The send queue's consumer, the same in AWS (the event source mapping and redrive policy) and in
 * the local stack: messages per invocation, and receives before a message goes to the DLQ. The
 * consumer's concurrency is the deployment's `sendConcurrency` (2 by default, and locally).
 */
export const SEND_CONSUMER = { batchSize: 5, maxReceiveCount: 5 } as const;

/**
 * A batch of recipients for one step, by id only (the HMAC of each address): no address, name or
 * token ever travels through the queue. `attempt` counts retries of throttled recipients.
 */
export const sendBatchMessageSchema = z.object({
  campaignId: z.string().min(1),
  stepKey: z.string().min(1),
  version: z.number().int().nonnegative(),
  role: z.enum(ROLES),
  recipients: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{16,128}$/))
    .min(1)
    .max(MAX_RECIPIENTS_PER_MESSAGE),
  attempt: z.number().int().min(1).default(1),
});
export type SendBatchMessage = z.infer<typeof sendBatchMessageSchema>;

export interface StepRef {
  campaignId: string;
  stepKey: string;
}

/**
 * SES's per-recipient status when the account has sent its 24-hour quota. The quota frees up as the
 * rolling day moves on, so these recipients wait (the longest delay SQS allows) and are tried again,
 * without using up their attempts: a later send beats a recipient recorded failed.
 */
export const DAILY_QUOTA_EXCEEDED = 'ACCOUNT_DAILY_QUOTA_EXCEEDED';

/** Where each recipient of a step ends: nothing is lost silently. */
export type SettledOutcome =
  | { status: 'sent'; messageId: string }
  | { status: 'failed'; reason: string }
  | { status: 'suppressed'; reason: string };

export interface StepCounts {
  recipients: number;
  sent: number;
  failed: number;
  suppressed: number;
  /** True once dispatch has enqueued every recipient, so `recipients` is final. */
  dispatched?: boolean;
}

/** A step has finished sending once dispatch is complete and every recipient has settled. */
export const isSettled = (counts: StepCounts) =>
  counts.dispatched === true && settledCount(counts) >= counts.recipients;

export const settledCount = (counts: StepCounts) => counts.sent + counts.failed + counts.suppressed;

/** Why an address gets no more mail: SES said it bounced for good, or its owner complained. */
export type SuppressionReason = 'bounce' | 'complaint';

import { z } from 'zod';
import type { Clock } from '../clock';
import type { SuppressionReason } from './model';
import type { Suppressor } from './ports';

/**
 * SES sending events, as a configuration set's EventBridge destination delivers them. Only what we
 * act on is read: permanent bounces and complaints.
 */
export const sesFeedbackEventSchema = z.object({
  source: z.literal('aws.ses'),
  'detail-type': z.string(),
  detail: z.object({
    eventType: z.string(),
    mail: z.object({ messageId: z.string() }).loose(),
    bounce: z
      .object({
        bounceType: z.string(),
        bouncedRecipients: z.array(z.object({ emailAddress: z.string() }).loose()),
      })
      .loose()
      .optional(),
    complaint: z
      .object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() }).loose()) })
      .loose()
      .optional(),
  }),
});
export type SesFeedbackEvent = z.infer<typeof sesFeedbackEventSchema>;

export interface FeedbackDeps {
  /** The address hasher, keyed from the token secret (loaded once per cold start). */
  hashEmail: () => Promise<(email: string) => string>;
  suppressor: Suppressor;
  clock: Clock;
}

/**
 * A permanent bounce or a complaint suppresses the address for every campaign: no more reminders,
 * and no confirmation emails either. Transient bounces change nothing (SES retries them).
 */
export const handleSesFeedback = async (
  deps: FeedbackDeps,
  event: SesFeedbackEvent,
): Promise<{ suppressed: number; reason?: SuppressionReason }> => {
  const { detail } = event;
  let reason: SuppressionReason | undefined;
  let addresses: string[] = [];
  if (detail.eventType === 'Bounce' && detail.bounce?.bounceType === 'Permanent') {
    reason = 'bounce';
    addresses = detail.bounce.bouncedRecipients.map((r) => r.emailAddress);
  } else if (detail.eventType === 'Complaint' && detail.complaint) {
    reason = 'complaint';
    addresses = detail.complaint.complainedRecipients.map((r) => r.emailAddress);
  }
  if (!reason) return { suppressed: 0 };
  const now = deps.clock.now();
  const hashEmail = await deps.hashEmail();
  const hashes = [...new Set(addresses.map(hashEmail))];
  for (const hash of hashes) await deps.suppressor.suppress(hash, reason, now);
  return { suppressed: hashes.length, reason };
};

import { logger } from '../logger';
import type { Subscription } from '../subscriptions/model';
import type { SubscriptionRepository } from '../subscriptions/ports';
import { withStaleRetry } from '../subscriptions/retry';
import { planUnsubscribe } from '../subscriptions/unsubscribe';
import type { SuppressionReason, Suppressor } from './feedback';

/** Records that an address must get no more mail (checked before any confirmation email). */
export interface SuppressionList {
  add(emailHmac: string, reason: SuppressionReason, now: Date): Promise<void>;
}

/**
 * Suppression for every campaign: the address goes on the suppression list (so a new sign-up gets no
 * confirmation email either) and every subscription of it leaves the audience, as an unsubscribe
 * recorded with the bounce or complaint as its source. Repeating it is harmless.
 */
export const createSuppressor = (
  subscriptions: SubscriptionRepository,
  list: SuppressionList,
): Suppressor => ({
  async suppress(emailHmac, reason, now) {
    await list.add(emailHmac, reason, now);
    const changed = await withStaleRetry(async () => {
      let count = 0;
      for (const existing of await subscriptions.listForAddress(emailHmac)) {
        const next: Subscription | undefined = planUnsubscribe(existing, now, reason, 'all');
        if (!next) continue;
        await subscriptions.save(next, existing.version);
        count++;
      }
      return count;
    });
    logger.info('Address suppressed', { subscription: emailHmac, reason, changed });
  },
});

import { logger } from '../logger';
import type { SubscriptionRepository } from '../subscriptions/ports';
import { unsubscribeAddress } from '../subscriptions/unsubscribe';
import type { SuppressionList, Suppressor } from './ports';

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
    const changed = await unsubscribeAddress(subscriptions, { emailHmac }, now, reason);
    logger.info('Address suppressed', { subscription: emailHmac, reason, changed });
  },
});

import { logger } from '../logger';
import type { TokenClaims } from '../tokens/signer';
import { type Subscription, type SubscriptionSource, withHistory } from './model';
import type { SubscriptionDeps } from './ports';
import { withStaleRetry } from './retry';

export type UnsubscribeScope = 'campaign' | 'all';

/**
 * The state after leaving: out of the audience at once, the address and name removed (they were
 * kept only to send), the record of when and how kept until the item's TTL.
 */
export const planUnsubscribe = (
  existing: Subscription,
  now: Date,
  source: SubscriptionSource,
  scope: UnsubscribeScope,
): Subscription | undefined => {
  if (existing.status === 'unsubscribed') return undefined;
  const at = now.toISOString();
  // Nothing waits for confirmation any more: every confirm link already sent stops working.
  const { email: _email, name: _name, pendingChange: _change, nonce: _nonce, ...rest } = existing;
  return {
    ...rest,
    status: 'unsubscribed',
    unsubscribedAt: at,
    updatedAt: at,
    history: withHistory(existing.history, {
      at,
      event: scope === 'all' ? 'unsubscribed-all' : 'unsubscribed',
      source,
    }),
    version: existing.version + 1,
  };
};

/** Verifies an unsubscribe token (they never expire); throws InvalidTokenError for a bad one. */
export const verifyUnsubscribeToken = async (deps: SubscriptionDeps, token: string): Promise<TokenClaims> => {
  const { signer } = await deps.keys();
  return signer.verify(token, 'unsubscribe', deps.clock.now());
};

/**
 * Unsubscribes from one campaign, or from every campaign of the address the token names. Repeating
 * it, or unsubscribing what is already gone, is harmless.
 */
export const unsubscribe = async (
  deps: SubscriptionDeps,
  token: string,
  scope: UnsubscribeScope,
  source: SubscriptionSource,
): Promise<{ changed: number }> => {
  const claims = await verifyUnsubscribeToken(deps, token);
  const now = deps.clock.now();
  const load = async () =>
    scope === 'all'
      ? deps.subscriptions.listForAddress(claims.emailHmac)
      : [await deps.subscriptions.get(claims.emailHmac, claims.campaignId)].filter(
          (s): s is Subscription => s !== undefined,
        );

  const changed = await withStaleRetry(async () => {
    let count = 0;
    for (const existing of await load()) {
      const next = planUnsubscribe(existing, now, source, scope);
      if (!next) continue;
      await deps.subscriptions.save(next, existing.version);
      count++;
    }
    return count;
  });
  logger.info('Unsubscribed', {
    campaignId: claims.campaignId,
    subscription: claims.emailHmac,
    scope,
    changed,
  });
  return { changed };
};

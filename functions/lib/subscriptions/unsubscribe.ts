import { logger } from '../logger';
import type { TokenClaims } from '../tokens/signer';
import { type Subscription, type SubscriptionSource, withHistory } from './model';
import type { SubscriptionDeps, SubscriptionRepository } from './ports';
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

/**
 * Takes an address out of one campaign's audience (`campaignId` given) or every campaign's, retrying
 * when another request changed a subscription meanwhile. Returns how many subscriptions it changed;
 * what is already gone is left alone. The one way out, whether by link, bounce or complaint.
 */
export const unsubscribeAddress = async (
  subscriptions: Pick<SubscriptionRepository, 'get' | 'listForAddress' | 'save'>,
  target: { emailHmac: string; campaignId?: string },
  now: Date,
  source: SubscriptionSource,
): Promise<number> => {
  const { emailHmac, campaignId } = target;
  const scope: UnsubscribeScope = campaignId === undefined ? 'all' : 'campaign';
  const load = async () =>
    campaignId === undefined
      ? subscriptions.listForAddress(emailHmac)
      : [await subscriptions.get(emailHmac, campaignId)].filter((s): s is Subscription => s !== undefined);
  return withStaleRetry(async () => {
    let count = 0;
    for (const existing of await load()) {
      const next = planUnsubscribe(existing, now, source, scope);
      if (!next) continue;
      await subscriptions.save(next, existing.version);
      count++;
    }
    return count;
  });
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
  const changed = await unsubscribeAddress(
    deps.subscriptions,
    scope === 'all' ? { emailHmac: claims.emailHmac } : claims,
    deps.clock.now(),
    source,
  );
  logger.info('Unsubscribed', {
    campaignId: claims.campaignId,
    subscription: claims.emailHmac,
    scope,
    changed,
  });
  return { changed };
};

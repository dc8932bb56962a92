import { randomBytes } from 'node:crypto';
import type { Campaign } from '../campaigns/model';
import type { Role } from '../domain/roles';
import { logger } from '../logger';
import { epochSeconds } from '../shared/dates';
import { normaliseEmail } from './email';
import { PENDING_TTL_SECONDS, type Subscription, type SubscriptionSource, withHistory } from './model';
import type { SubscriptionDeps } from './ports';
import { withStaleRetry } from './retry';

/** An unconfirmed sign-up is forgotten after 7 days. */
export { PENDING_TTL_SECONDS };

export interface SignupRequest {
  email: string;
  name?: string;
  role: Role;
}

/** 128 random bits, base64url: names one sign-up in its confirm link. */
export const newNonce = (): string => randomBytes(16).toString('base64url');

/** What waits for confirmation under `nonce`: a pending sign-up or a confirmed subscriber's change. */
export interface AwaitingConfirmation {
  role: Role;
  name?: string;
  /** Epoch seconds: the confirm link works until then. */
  expiresAt: number;
}

/** The sign-up or change a confirm link with `nonce` would confirm now; undefined when none. */
export const awaitingConfirmation = (
  subscription: Subscription | undefined,
  nonce: string | undefined,
  now: Date,
): AwaitingConfirmation | undefined => {
  const live = liveRequestOf(subscription, now);
  if (!live || nonce === undefined || live.nonce !== nonce) return undefined;
  return live;
};

/** The sign-up (or change) still waiting to be confirmed, unexpired; only one at a time. */
const liveRequestOf = (
  subscription: Subscription | undefined,
  now: Date,
): (AwaitingConfirmation & { nonce: string }) | undefined => {
  const nowSeconds = epochSeconds(now);
  if (subscription?.status === 'pending' && subscription.nonce && subscription.expiresAt > nowSeconds) {
    const { nonce, role, name, expiresAt } = subscription;
    return { nonce, role, ...(name ? { name } : {}), expiresAt };
  }
  const change = subscription?.status === 'confirmed' ? subscription.pendingChange : undefined;
  if (change?.nonce) {
    const expiresAt = epochSeconds(new Date(change.requestedAt)) + PENDING_TTL_SECONDS;
    if (expiresAt > nowSeconds) {
      return {
        nonce: change.nonce,
        role: change.role,
        ...(change.name ? { name: change.name } : {}),
        expiresAt,
      };
    }
  }
  return undefined;
};

export interface SignupPlan {
  /** The state to store. */
  next: Subscription;
  /** The nonce of the sign-up that now waits for confirmation: its email is (re)sent. */
  nonce: string;
}

/**
 * The stored state after a sign-up, from the state before it. A sign-up (or change) already waiting
 * for confirmation stays exactly as it is: anyone can post anyone's address, so a second sign-up may
 * not change the first one's role or name; its confirmation is sent again instead. New, unsubscribed
 * and expired sign-ups (re)start as pending under a new nonce. A confirmed subscription is never
 * downgraded: the requested role and name wait as a pending change until its own link is confirmed.
 */
export const planSignup = (
  existing: Subscription | undefined,
  request: SignupRequest & { email: string; emailHmac: string; campaignId: string },
  now: Date,
  source: SubscriptionSource,
  nonce: string,
): SignupPlan => {
  const at = now.toISOString();
  const waiting = liveRequestOf(existing, now);
  // Only a note of the repeat, at the same version: repeats racing each other all succeed, and the
  // write costs what every other state's write costs.
  if (existing && waiting) return { nonce: waiting.nonce, next: { ...existing, lastRequestedAt: at } };
  if (existing?.status === 'confirmed') {
    return {
      nonce,
      next: {
        ...existing,
        email: request.email,
        pendingChange: {
          nonce,
          role: request.role,
          ...(request.name ? { name: request.name } : {}),
          requestedAt: at,
          source,
        },
        updatedAt: at,
        history: withHistory(existing.history, { at, event: 'signed-up-again', source }),
        version: existing.version + 1,
      },
    };
  }
  return {
    nonce,
    next: {
      emailHmac: request.emailHmac,
      campaignId: request.campaignId,
      email: request.email,
      ...(request.name ? { name: request.name } : {}),
      role: request.role,
      status: 'pending',
      source,
      consentAt: at,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
      nonce,
      history: withHistory(existing?.history ?? [], {
        at,
        event: existing ? 'signed-up-again' : 'signed-up',
        source,
      }),
      expiresAt: epochSeconds(now) + PENDING_TTL_SECONDS,
      version: (existing?.version ?? 0) + 1,
    },
  };
};

/**
 * Records a sign-up and asks for its confirmation email, which a worker sends off the request path
 * (at most 3 per address and campaign per 24 hours, none to a suppressed address). The request does
 * the same work whatever the address's state, and the caller answers the same, so neither the answer
 * nor its timing tells the state.
 */
export const subscribe = async (
  deps: SubscriptionDeps,
  campaign: Pick<Campaign, 'id'>,
  request: SignupRequest,
  source: SubscriptionSource,
): Promise<void> => {
  const now = deps.clock.now();
  const { hashEmail } = await deps.keys();
  const email = normaliseEmail(request.email);
  const emailHmac = hashEmail(email);
  const ids = { emailHmac, campaignId: campaign.id };

  // Parallel sign-ups for one address: one write wins; the others read its sign-up and only note
  // the repeat, which races nobody. Every state makes one read and one write: the same time.
  const nonce = await withStaleRetry(async () => {
    const existing = await deps.subscriptions.get(emailHmac, campaign.id);
    const plan = planSignup(existing, { ...request, ...ids, email }, now, source, newNonce());
    await deps.subscriptions.save(plan.next, existing?.version);
    return plan.nonce;
  });

  await deps.confirmations.request({ ...ids, nonce });
  logger.info('Confirmation requested', { campaignId: campaign.id, subscription: emailHmac, source });
};

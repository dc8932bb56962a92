import type { Campaign } from '../campaigns/model';
import { ROLE_LABELS, type Role } from '../domain/roles';
import { logger } from '../logger';
import { CONFIRM_TEMPLATE } from '../templates/names';
import { epochSeconds } from './dates';
import { normaliseEmail } from './email';
import { confirmUrl } from './links';
import { PENDING_TTL_SECONDS, type Subscription, type SubscriptionSource, withHistory } from './model';
import type { SubscriptionDeps } from './ports';
import { withStaleRetry } from './retry';
import { CONFIRM_EMAIL_THROTTLE } from './throttle';

/** An unconfirmed sign-up is forgotten after 7 days. */
export { PENDING_TTL_SECONDS };

export interface SignupRequest {
  email: string;
  name?: string;
  role: Role;
}

/**
 * The stored state after a sign-up, from the state before it. New, pending and unsubscribed
 * addresses (re)start as pending and need a new confirmation. A confirmed subscription is never
 * downgraded by a sign-up (anyone can post anyone's address); the requested role and name wait as
 * a pending change until the new link is confirmed.
 */
export const planSignup = (
  existing: Subscription | undefined,
  request: SignupRequest & { email: string; emailHmac: string; campaignId: string },
  now: Date,
  source: SubscriptionSource,
): Subscription => {
  const at = now.toISOString();
  if (existing?.status === 'confirmed') {
    return {
      ...existing,
      email: request.email,
      pendingChange: {
        role: request.role,
        ...(request.name ? { name: request.name } : {}),
        requestedAt: at,
        source,
      },
      updatedAt: at,
      history: withHistory(existing.history, { at, event: 'signed-up-again', source }),
      version: existing.version + 1,
    };
  }
  return {
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
    history: withHistory(existing?.history ?? [], {
      at,
      event: existing ? 'signed-up-again' : 'signed-up',
      source,
    }),
    expiresAt: epochSeconds(now) + PENDING_TTL_SECONDS,
    version: (existing?.version ?? 0) + 1,
  };
};

/**
 * Records a sign-up and sends the confirmation email (at most 3 per address per 24 hours). The
 * caller answers the same whatever the address's state, so nothing here may change the answer.
 */
export const subscribe = async (
  deps: SubscriptionDeps,
  campaign: Pick<Campaign, 'id' | 'name'>,
  request: SignupRequest,
  source: SubscriptionSource,
): Promise<void> => {
  const now = deps.clock.now();
  const { hashEmail, signer } = await deps.keys();
  const email = normaliseEmail(request.email);
  const emailHmac = hashEmail(email);
  const ids = { emailHmac, campaignId: campaign.id };

  await withStaleRetry(async () => {
    const existing = await deps.subscriptions.get(emailHmac, campaign.id);
    const next = planSignup(existing, { ...request, ...ids, email }, now, source);
    await deps.subscriptions.save(next, existing?.version);
  });

  // An address that bounced permanently or complained gets no more mail, confirmations included.
  if (await deps.suppressed(emailHmac)) {
    logger.info('Confirmation email withheld: address suppressed', {
      campaignId: campaign.id,
      subscription: emailHmac,
    });
    return;
  }
  if (!(await deps.subscriptions.consumeConfirmQuota(emailHmac, now, CONFIRM_EMAIL_THROTTLE))) {
    logger.info('Confirmation email withheld: allowance for this address used', {
      campaignId: campaign.id,
      subscription: emailHmac,
    });
    return;
  }
  await deps.mailer.sendTemplated({
    to: email,
    template: CONFIRM_TEMPLATE,
    data: {
      ...(request.name ? { name: request.name } : {}),
      campaignName: campaign.name,
      role: ROLE_LABELS[request.role],
      confirmUrl: confirmUrl(deps.publicBaseUrl, signer, ids, now),
    },
  });
  logger.info('Confirmation email sent', { campaignId: campaign.id, subscription: emailHmac, source });
};

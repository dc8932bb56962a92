import type { Campaign } from '../campaigns/model';
import { missedReminders, reminderWords } from '../campaigns/reminder-data';
import type { Role } from '../domain/roles';
import { logger } from '../logger';
import { retentionEnd } from '../shared/dates';
import { WELCOME_TEMPLATE } from '../templates/names';
import { emailSender } from '../templates/sender';
import { InvalidTokenError, type TokenSigner } from '../tokens/signer';
import { manageUrl, unsubscribeHeaders, unsubscribeUrl } from './links';
import { type Subscription, type SubscriptionSource, withHistory } from './model';
import type { SubscriptionDeps } from './ports';
import { withStaleRetry } from './retry';
import { awaitingConfirmation } from './subscribe';

export interface ConfirmOutcome {
  campaign: Campaign;
  role: Role;
  /** True the first time; a repeated confirmation changes nothing and sends nothing. */
  newlyConfirmed: boolean;
}

/**
 * The state after confirming the sign-up (or change) named by `nonce`; undefined when that one is
 * already confirmed (a repeat changes nothing). A link for anything else (a sign-up since replaced,
 * withdrawn or expired) throws InvalidTokenError: it never confirms what it was not sent for.
 */
export const planConfirm = (
  existing: Subscription,
  nonce: string | undefined,
  campaign: Campaign,
  now: Date,
  source: SubscriptionSource,
  retentionDays: number,
): Subscription | undefined => {
  const at = now.toISOString();
  const expiresAt = retentionEnd(campaign.pollDate, retentionDays);
  if (awaitingConfirmation(existing, nonce, now)) {
    if (existing.status === 'pending') {
      return {
        ...existing,
        status: 'confirmed',
        confirmedAt: at,
        updatedAt: at,
        history: withHistory(existing.history, { at, event: 'confirmed', source }),
        expiresAt,
        version: existing.version + 1,
      };
    }
    if (existing.pendingChange) {
      const { pendingChange, name: _oldName, ...rest } = existing;
      return {
        ...rest,
        role: pendingChange.role,
        ...(pendingChange.name ? { name: pendingChange.name } : {}),
        nonce: pendingChange.nonce,
        consentAt: pendingChange.requestedAt,
        source: pendingChange.source,
        updatedAt: at,
        history: withHistory(existing.history, { at, event: 'change-confirmed', source }),
        expiresAt,
        version: existing.version + 1,
      };
    }
  }
  if (existing.status === 'confirmed' && nonce !== undefined && existing.nonce === nonce) return undefined;
  throw new InvalidTokenError('unknown');
};

/**
 * The welcome email for a subscription just confirmed (or joined from the manage page): one-click
 * unsubscribe, the manage link, and the earlier reminders that still apply, as links to read them.
 */
export const sendWelcome = async (
  deps: Pick<SubscriptionDeps, 'mailer' | 'publicBaseUrl'>,
  signer: TokenSigner,
  campaign: Campaign,
  subscription: Subscription,
  now: Date,
): Promise<void> => {
  if (!subscription.email) return;
  const claims = { emailHmac: subscription.emailHmac, campaignId: campaign.id };
  const url = unsubscribeUrl(deps.publicBaseUrl, signer, claims);
  const words = reminderWords(campaign, subscription.role);
  await deps.mailer.sendTemplated({
    to: subscription.email,
    template: WELCOME_TEMPLATE,
    data: {
      ...words,
      ...(subscription.name ? { name: subscription.name } : {}),
      unsubscribeUrl: url,
      manageUrl: manageUrl(deps.publicBaseUrl, signer, claims),
      missed: missedReminders(campaign, subscription.role, now, deps.publicBaseUrl),
    },
    headers: unsubscribeHeaders(url),
    sender: emailSender(words),
  });
};

/**
 * Confirms a sign-up from its emailed link: the subscription joins the campaign's audience and a
 * welcome email (with one-click unsubscribe) goes out. An unknown, expired or tampered link, or one
 * for a sign-up that was since withdrawn or replaced, changes nothing (InvalidTokenError).
 */
export const confirmSubscription = async (
  deps: SubscriptionDeps,
  token: string,
  source: SubscriptionSource,
): Promise<ConfirmOutcome> => {
  const now = deps.clock.now();
  const { signer } = await deps.keys();
  const claims = signer.verify(token, 'confirm', now);
  const campaign = await deps.campaigns.getCampaign(claims.campaignId);
  if (!campaign) throw new InvalidTokenError('unknown');

  const confirmed = await withStaleRetry(async () => {
    const existing = await deps.subscriptions.get(claims.emailHmac, claims.campaignId);
    if (!existing || existing.status === 'unsubscribed') throw new InvalidTokenError('unknown');
    const next = planConfirm(existing, claims.nonce, campaign, now, source, deps.retentionDays);
    if (next) await deps.subscriptions.save(next, existing.version);
    return { before: existing, after: next ?? existing };
  });

  const newlyConfirmed = confirmed.before.status === 'pending';
  const ids = { campaignId: campaign.id, subscription: claims.emailHmac };
  logger.info(newlyConfirmed ? 'Subscription confirmed' : 'Confirmation repeated', ids);
  if (newlyConfirmed && confirmed.after.email) {
    await sendWelcome(deps, signer, campaign, confirmed.after, now);
    logger.info('Welcome email sent', ids);
  }
  return { campaign, role: confirmed.after.role, newlyConfirmed };
};

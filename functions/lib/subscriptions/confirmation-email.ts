import type { SQSRecord } from 'aws-lambda';
import { campaignWords } from '../campaigns/reminder-data';
import { roleWithArticle } from '../domain/roles';
import { parseJsonEvent } from '../events';
import { logger } from '../logger';
import { CONFIRM_TEMPLATE } from '../templates/names';
import { emailSender, organiserWords } from '../templates/sender';
import { type ConfirmationRequest, confirmationRequestSchema } from './confirmation-request';
import { confirmUrl, manageUrl } from './links';
import type { ConfirmationDeps } from './ports';
import { awaitingConfirmation } from './subscribe';
import { CONFIRM_EMAIL_THROTTLE } from './throttle';

/** What became of one confirmation request. */
export type ConfirmationOutcome =
  | 'sent'
  /** The sign-up it was for is no longer waiting (confirmed, replaced, withdrawn or expired). */
  | 'stale'
  /** The campaign is gone or no longer open for sign-up. */
  | 'closed'
  /** SES feedback (bounce, complaint) suppressed the address. */
  | 'suppressed'
  /** The allowance for the address and campaign is used, or the same link went moments ago. */
  | 'limit'
  | 'repeat'
  | 'busy';

/**
 * Sends the confirmation email for one recorded sign-up, reading the address, name and role from the
 * table: the queue carries ids only. The email shows exactly what its link confirms. A failed send
 * throws (the message comes back; its allowance is not charged twice).
 */
export const sendConfirmationEmail = async (
  deps: ConfirmationDeps,
  request: ConfirmationRequest,
  messageId: string,
): Promise<ConfirmationOutcome> => {
  const now = deps.clock.now();
  const subscription = await deps.subscriptions.get(request.emailHmac, request.campaignId);
  const waiting = awaitingConfirmation(subscription, request.nonce, now);
  if (!waiting || !subscription?.email) return 'stale';
  const campaign = await deps.campaigns.getCampaign(request.campaignId);
  if (campaign?.status !== 'open') return 'closed';
  // An address that bounced permanently or complained gets no more mail, confirmations included.
  if (await deps.suppressed(request.emailHmac)) return 'suppressed';
  const quota = await deps.subscriptions.consumeConfirmQuota(
    request.emailHmac,
    request.campaignId,
    { nowMs: now.getTime(), nonce: request.nonce, messageId },
    CONFIRM_EMAIL_THROTTLE,
  );
  if (quota !== 'allowed') return quota;

  const { signer } = await deps.keys();
  const words = campaignWords(campaign);
  await deps.mailer.sendTemplated({
    to: subscription.email,
    template: CONFIRM_TEMPLATE,
    // No name: it is unchecked input, and the address is not confirmed yet.
    data: {
      ...organiserWords(words),
      campaignName: campaign.name,
      role: roleWithArticle(waiting.role),
      confirmUrl: confirmUrl(deps.publicBaseUrl, signer, request, waiting.expiresAt),
      manageUrl: manageUrl(deps.publicBaseUrl, signer, request),
    },
    sender: emailSender(words),
  });
  return 'sent';
};

/**
 * The confirmation queue's consumer: each record on its own, partial batch failures. A malformed
 * record is logged (ids only) and left to reach the dead-letter queue through retries.
 */
export const processConfirmationRecords = async (
  deps: ConfirmationDeps,
  records: SQSRecord[],
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    let request: ConfirmationRequest;
    try {
      request = parseJsonEvent(confirmationRequestSchema, record.body, 'confirmation request');
    } catch {
      logger.error('Malformed confirmation request', { messageId: record.messageId });
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
    const ids = { campaignId: request.campaignId, subscription: request.emailHmac };
    try {
      const outcome = await sendConfirmationEmail(deps, request, record.messageId);
      logger.info(outcome === 'sent' ? 'Confirmation email sent' : 'Confirmation email withheld', {
        ...ids,
        messageId: record.messageId,
        outcome,
      });
    } catch (error) {
      logger.warn('Confirmation email failed; the message will be retried', {
        ...ids,
        messageId: record.messageId,
        errorName: (error as Error)?.name,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

import type { Metrics } from '@aws-lambda-powertools/metrics';
import { createAudienceDirectory } from '../adapters/dynamodb/audience-directory';
import { createCampaignRepository } from '../adapters/dynamodb/campaign-repository';
import { createDeliveryLedger } from '../adapters/dynamodb/delivery-ledger';
import { createSesBulkMailer } from '../adapters/ses/bulk-mailer';
import { readSendRate } from '../adapters/ses/send-quota';
import { createSendQueue } from '../adapters/sqs/send-queue';
import { reminderPageUrl } from '../campaigns/reminder-data';
import type { SendConfig } from '../config';
import { powertoolsDeliveryMetrics } from '../delivery/metrics';
import { MAX_RECIPIENTS_PER_MESSAGE } from '../delivery/model';
import { createRateLimiter } from '../delivery/rate-limiter';
import type { SendDeps } from '../delivery/send';
import { createStepLookup } from '../delivery/step-lookup';
import { logger } from '../logger';
import { manageUrl, unsubscribeUrl } from '../subscriptions/links';
import { clients } from './clients';
import { rootClock } from './clock';
import { secretKeys } from './parts';

/** How long the sender trusts its copy of a campaign (a cancellation stops sending within this). */
const CAMPAIGN_CACHE_MS = 5_000;
/** A throttled SES call is retried twice in place (about 0.2 s, then 0.4 s) before it is re-queued. */
export const INLINE_RETRIES = 2;
export const INLINE_RETRY_BASE_MS = 200;
/**
 * The limiter's bucket: two SES calls' worth, and never more than one second at the rate (SES's own
 * bucket holds a second's worth, so it accepts this). Two calls, not one, so that the capacity a
 * throttled call gives back is not lost while the sender is at full pace.
 */
export const limiterBurst = (rate: number) => Math.max(1, Math.min(2 * MAX_RECIPIENTS_PER_MESSAGE, rate));

/**
 * Builds the send function's dependencies once per cold start: the rate comes from SES GetAccount
 * (or SES_MAX_SEND_RATE), shared out between the concurrent instances; the unsubscribe links are
 * signed with the token key from Secrets Manager. If GetAccount fails this rejects, so the whole
 * batch fails and comes back from the queue (the next invocation asks again).
 */
export const sendDeps = async (config: SendConfig, metrics: Metrics): Promise<SendDeps> => {
  const dynamo = clients.dynamo();
  const ses = clients.ses();
  // Neither waits for the other: both are cold-start round trips.
  const [quota, { signer }] = await Promise.all([
    readSendRate(ses, { override: config.SES_MAX_SEND_RATE }).catch((error: unknown) => {
      logger.error('Send rate unknown: failing the batch so that it is retried', {
        error: (error as Error).name,
      });
      throw error;
    }),
    secretKeys(config)(),
  ]);
  const rate = quota.rate / config.SEND_CONCURRENCY;
  logger.info('Send rate', { accountRate: quota.rate, source: quota.source, instanceRate: rate });
  const campaigns = createCampaignRepository(dynamo, config.TABLE_NAME);
  return {
    audience: createAudienceDirectory(dynamo, config.TABLE_NAME),
    ledger: createDeliveryLedger(dynamo, config.TABLE_NAME),
    mailer: createSesBulkMailer(ses, {
      from: config.SENDER_EMAIL,
      configurationSet: config.SES_CONFIGURATION_SET,
    }),
    limiter: createRateLimiter(rate, { burst: limiterBurst(rate) }),
    queue: createSendQueue(clients.sqs(), config.SEND_QUEUE_URL),
    steps: createStepLookup(campaigns, { cacheMs: CAMPAIGN_CACHE_MS }),
    clock: rootClock,
    metrics: powertoolsDeliveryMetrics(metrics),
    unsubscribeUrl: (emailHmac, campaignId) =>
      unsubscribeUrl(config.PUBLIC_BASE_URL, signer, { emailHmac, campaignId }),
    manageUrl: (emailHmac, campaignId) =>
      manageUrl(config.PUBLIC_BASE_URL, signer, { emailHmac, campaignId }),
    reminderPageUrl: (campaignId, stepKey, role) =>
      reminderPageUrl(config.PUBLIC_BASE_URL, campaignId, stepKey, role),
    templatePrefix: config.SES_TEMPLATE_PREFIX,
    claimTimeoutMs: config.CLAIM_TIMEOUT_SECONDS * 1000,
    maxAttempts: config.SEND_MAX_ATTEMPTS,
    retryBaseDelaySeconds: config.SEND_RETRY_BASE_DELAY_SECONDS,
    inlineRetries: INLINE_RETRIES,
    inlineRetryBaseMs: INLINE_RETRY_BASE_MS,
  };
};

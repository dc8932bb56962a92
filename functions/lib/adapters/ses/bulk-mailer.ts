import {
  type SESv2Client,
  SendBulkEmailCommand,
  type SendBulkEmailCommandOutput,
} from '@aws-sdk/client-sesv2';
import { SendThrottledError, SesUnavailableError } from '../../delivery/errors';
import { DAILY_QUOTA_EXCEEDED } from '../../delivery/model';
import type { BulkEntryResult, BulkMailer } from '../../delivery/ports';
import { formatFromAddress } from './from-address';

export interface BulkMailerOptions {
  from: string;
  configurationSet?: string;
}

/** Per-entry statuses that a later attempt can fix; the rest are recorded as failures with their reason. */
const RETRYABLE = new Set([
  'TRANSIENT_FAILURE',
  'ACCOUNT_THROTTLED',
  'ACCOUNT_SENDING_PAUSED',
  'CONFIGURATION_SET_SENDING_PAUSED',
  DAILY_QUOTA_EXCEEDED,
]);
const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'LimitExceededException',
]);
/** Whole-call refusals that a later attempt can get past, as their per-entry forms (above) are. */
const PAUSED = new Set(['SendingPausedException']);

/**
 * SES v2 SendBulkEmail: one call for up to 50 recipients, each with their own template data and
 * List-Unsubscribe headers (ReplacementHeaders), in the stack's configuration set.
 */
export const createSesBulkMailer = (client: SESv2Client, options: BulkMailerOptions): BulkMailer => ({
  async sendBulk(template, entries, sender) {
    let response: SendBulkEmailCommandOutput;
    try {
      response = await client.send(
        new SendBulkEmailCommand({
          FromEmailAddress: sender ? formatFromAddress(sender.displayName, options.from) : options.from,
          ...(sender?.replyTo ? { ReplyToAddresses: [sender.replyTo] } : {}),
          ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
          DefaultContent: { Template: { TemplateName: template, TemplateData: '{}' } },
          BulkEmailEntries: entries.map((entry) => ({
            Destination: { ToAddresses: [entry.to] },
            ReplacementEmailContent: {
              ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(entry.data) },
            },
            ReplacementHeaders: entry.headers.map(({ name, value }) => ({ Name: name, Value: value })),
          })),
        }),
      );
    } catch (error) {
      const { name, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
      if (THROTTLING.has(name) || $metadata?.httpStatusCode === 429) throw new SendThrottledError(name);
      // No status at all is a network error: SES may or may not have taken the call, and retrying is
      // the lesser harm (a possible second email rather than a possibly missed one).
      if (
        PAUSED.has(name) ||
        ($metadata?.httpStatusCode ?? 0) >= 500 ||
        $metadata?.httpStatusCode === undefined
      ) {
        throw new SesUnavailableError(name);
      }
      throw error;
    }
    const results = response.BulkEmailEntryResults ?? [];
    return entries.map((_, index): BulkEntryResult => {
      const result = results[index];
      if (result?.Status === 'SUCCESS' && result.MessageId)
        return { status: 'sent', messageId: result.MessageId };
      if (!result || RETRYABLE.has(result.Status ?? ''))
        return { status: 'retry', reason: result?.Status ?? 'NO_RESULT' };
      // SES error texts can quote the address: keep only the status code as the reason.
      return { status: 'failed', reason: result.Status ?? 'FAILED' };
    });
  },
});

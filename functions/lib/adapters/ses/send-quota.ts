import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

/** SES could not tell the account's send rate: the batch fails, so SQS retries it (and alarms on the DLQ). */
export class SendQuotaUnavailableError extends Error {
  override readonly name = 'SendQuotaUnavailableError';
}

/**
 * The account's maximum send rate (recipients per second), from SES GetAccount, so the sender paces
 * itself to the real quota (read once per cold start by the send function's root). `override`
 * (SES_MAX_SEND_RATE) wins. If SES cannot tell, this throws rather than guessing: a guess at SES's
 * sandbox rate (1 a second) would quietly take 5 hours over 10,000 people, while a failed batch
 * comes back from the queue, is retried with a fresh lookup and, if it keeps failing, raises the
 * DLQ alarm.
 */
export const readSendRate = async (
  client: SESv2Client,
  options: { override?: number } = {},
): Promise<{ rate: number; source: 'override' | 'account' }> => {
  if (options.override) return { rate: options.override, source: 'override' };
  let rate: number | undefined;
  try {
    rate = (await client.send(new GetAccountCommand({}))).SendQuota?.MaxSendRate;
  } catch (error) {
    throw new SendQuotaUnavailableError(
      `SES GetAccount failed (${(error as Error)?.name ?? 'unknown error'}): the send rate is unknown`,
      { cause: error },
    );
  }
  if (!rate || rate <= 0) {
    throw new SendQuotaUnavailableError('SES GetAccount answered no MaxSendRate: the send rate is unknown');
  }
  return { rate, source: 'account' };
};

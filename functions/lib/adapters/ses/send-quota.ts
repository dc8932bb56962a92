import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * The account's maximum send rate (recipients per second), from SES GetAccount, so the sender paces
 * itself to the real quota (read once per cold start by the send wiring). `override`
 * (SES_MAX_SEND_RATE) wins; if SES cannot tell, the conservative `fallback` is used and the caller
 * logs it.
 */
export const readSendRate = async (
  client: SESv2Client,
  options: { override?: number; fallback: number },
): Promise<{ rate: number; source: 'override' | 'account' | 'fallback' }> => {
  if (options.override) return { rate: options.override, source: 'override' };
  try {
    const account = await client.send(new GetAccountCommand({}));
    const rate = account.SendQuota?.MaxSendRate;
    if (rate && rate > 0) return { rate, source: 'account' };
  } catch {
    // Fall through to the conservative rate; the sender logs which source it used.
  }
  return { rate: options.fallback, source: 'fallback' };
};

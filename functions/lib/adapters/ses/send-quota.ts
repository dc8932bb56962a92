import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * The account's maximum send rate (recipients per second), read once per cold start from SES
 * GetAccount, so the sender paces itself to the real quota. `override` (SES_MAX_SEND_RATE) wins;
 * if SES cannot tell, the conservative `fallback` is used and the caller logs it.
 */
export const createSendRateSource = (
  client: SESv2Client,
  options: { override?: number; fallback: number },
) => {
  let cached: Promise<{ rate: number; source: 'override' | 'account' | 'fallback' }> | undefined;
  return () => {
    cached ??= (async () => {
      if (options.override) return { rate: options.override, source: 'override' as const };
      try {
        const account = await client.send(new GetAccountCommand({}));
        const rate = account.SendQuota?.MaxSendRate;
        if (rate && rate > 0) return { rate, source: 'account' as const };
      } catch {
        // Fall through to the conservative rate; the sender logs which source it used.
      }
      return { rate: options.fallback, source: 'fallback' as const };
    })();
    return cached;
  };
};

import type { RateLimiter } from './ports';

/**
 * A token bucket: `ratePerSecond` tokens a second, holding at most `burst` (one SES call's worth by
 * default), so the sender never goes faster than the account's maximum send rate, even in bursts.
 * Waiters are served in order.
 */
export const createRateLimiter = (
  ratePerSecond: number,
  options: { burst?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): RateLimiter => {
  const burst = Math.max(1, options.burst ?? 50);
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let tokens = burst;
  let updatedAt = now();
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const at = now();
    tokens = Math.min(burst, tokens + ((at - updatedAt) / 1000) * ratePerSecond);
    updatedAt = at;
  };

  return {
    acquire(recipients) {
      const wanted = Math.min(recipients, burst);
      const turn = queue.then(async () => {
        refill();
        while (tokens < wanted) {
          await sleep(Math.ceil(((wanted - tokens) / ratePerSecond) * 1000));
          refill();
        }
        tokens -= wanted;
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
    refund(recipients) {
      refill();
      tokens = Math.min(burst, tokens + recipients);
    },
  };
};

import { setTimeout as wait } from 'node:timers/promises';
import type { RateLimiter } from './ports';

/** Waiters look again this often, so capacity given back by a refund is used at once. */
const MAX_SLEEP_MS = 20;

/**
 * Paces sends to `ratePerSecond` with the generic cell rate algorithm (a token bucket kept as one
 * "theoretical arrival time"): at most `burst` recipients at once (one SES call's worth by default),
 * then evenly at the rate, so the sender never goes faster than the account's maximum send rate.
 * A refund (SES throttled the call and sent nothing) moves the arrival time back, exactly undoing
 * that acquisition, so throttled calls cost no rate. Waiters are served in order.
 */
export const createRateLimiter = (
  ratePerSecond: number,
  options: { burst?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): RateLimiter => {
  const burst = Math.max(1, options.burst ?? 50);
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => wait(ms));
  const msFor = (recipients: number) => (recipients / ratePerSecond) * 1000;
  let arrival = now();
  let queue: Promise<void> = Promise.resolve();

  return {
    acquire(recipients) {
      // A call larger than the bucket takes its tokens a bucketful at a time: it waits as long as
      // that many recipients take at the rate, so even a slow account is never outpaced.
      const turn = queue.then(async () => {
        for (let left = recipients; left > 0; ) {
          const take = Math.min(left, burst);
          const at = now();
          const start = Math.max(arrival, at);
          const wait = start + msFor(take) - at - msFor(burst);
          if (wait <= 0) {
            arrival = start + msFor(take);
            left -= take;
            continue;
          }
          await sleep(Math.min(Math.ceil(wait), MAX_SLEEP_MS));
        }
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
    refund(recipients) {
      arrival -= msFor(recipients);
    },
  };
};

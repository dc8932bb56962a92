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
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const msFor = (recipients: number) => (recipients / ratePerSecond) * 1000;
  let arrival = now();
  let queue: Promise<void> = Promise.resolve();

  return {
    acquire(recipients) {
      // A call larger than the bucket is paced as a full bucket (messages hold at most 50 recipients).
      const wanted = Math.min(recipients, burst);
      const turn = queue.then(async () => {
        for (;;) {
          const at = now();
          const after = Math.max(arrival, at) + msFor(wanted);
          const wait = after - at - msFor(burst);
          if (wait <= 0) {
            arrival = after;
            return;
          }
          await sleep(Math.min(Math.ceil(wait), MAX_SLEEP_MS));
        }
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
    refund(recipients) {
      arrival -= msFor(Math.min(recipients, burst));
    },
  };
};

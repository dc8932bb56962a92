import { type Clock, systemClock } from '../clock';

let override: Clock | undefined;

/**
 * Replaces the clock every function's dependencies read. Only the local stack calls it: it runs the
 * same handlers in its own process and lets the developer move time (`POST /local/clock`). In Lambda
 * nothing calls it, so the functions read the real clock.
 */
export const useClock = (clock: Clock | undefined): void => {
  override = clock;
};

/** The clock the composition root hands to the core: the real one unless the local stack set its own. */
export const rootClock: Clock = { now: () => (override ?? systemClock).now() };

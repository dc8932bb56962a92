import type { Clock } from '../functions/lib/clock';

/**
 * The local clock the developer moves (`POST /local/clock`). Unset, it is real time. Set, it reads the
 * time set and, when it `runs`, goes on from there as a real clock does (so that timeouts measured on
 * it, such as a crashed sender's claims, end); in tests it stands still where it was set.
 */
export const createLocalClock = (runs: boolean) => {
  let set: { now: number; setAt: number } | undefined;
  const clock: Clock & { set(now: Date, setAt?: number): void } = {
    now: () => {
      if (!set) return new Date();
      return new Date(set.now + (runs ? Math.max(0, Date.now() - set.setAt) : 0));
    },
    set: (now, setAt = Date.now()) => {
      set = { now: now.getTime(), setAt };
    },
  };
  return clock;
};

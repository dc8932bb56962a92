/** Time as a dependency, so the local clock and tests can move it. */
export interface Clock {
  now(): Date;
}

/**
 * The real clock. `ESR_LOCAL_NOW` is set only by the local stack's clock (`POST /local/clock`), so
 * that the same handlers see the time the developer moved to; the CDK app never sets it. With
 * `ESR_LOCAL_NOW_SET_AT` (epoch ms of the real time it was set) the local clock runs on from there,
 * as a real one does, so that timeouts measured on it (a crashed sender's claims) end.
 */
export const systemClock: Clock = {
  now: () => {
    const fixed = process.env.ESR_LOCAL_NOW;
    if (!fixed) return new Date();
    const setAt = Number(process.env.ESR_LOCAL_NOW_SET_AT);
    return new Date(Date.parse(fixed) + (Number.isFinite(setAt) ? Math.max(0, Date.now() - setAt) : 0));
  },
};

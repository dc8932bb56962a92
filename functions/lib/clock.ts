/** Time as a dependency, so the local clock and tests can move it. */
export interface Clock {
  now(): Date;
}

/**
 * The real clock. `ESR_LOCAL_NOW` is set only by the local stack's clock (`POST /local/clock`), so
 * that the same handlers see the time the developer moved to; the CDK app never sets it.
 */
export const systemClock: Clock = {
  now: () => {
    const fixed = process.env.ESR_LOCAL_NOW;
    return fixed ? new Date(fixed) : new Date();
  },
};

/**
 * Runs `make` on the first call and hands every later call the same promise, for the life of the
 * process (one cold start). A rejected promise is dropped, so the next call tries again.
 */
export const onceUntilRejected = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
};

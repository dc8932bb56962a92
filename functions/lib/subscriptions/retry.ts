import { StaleWriteError } from './errors';

/** Runs a read-modify-write again when another request wrote in between (rare: the same address twice). */
export const withStaleRetry = async <T>(work: () => Promise<T>, attempts = 3): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= attempts) throw error;
    }
  }
};

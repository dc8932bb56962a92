import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../functions/lib/delivery/rate-limiter';

/** A clock that only moves when the limiter sleeps, so the test measures the pacing exactly. */
const fakeTime = () => {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    elapsed: () => now,
  };
};

describe('createRateLimiter', () => {
  it('lets one burst through at once, then paces to the rate', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter(100, { burst: 50, now: time.now, sleep: time.sleep });

    for (let i = 0; i < 5; i++) await limiter.acquire(50);

    // 250 recipients at 100/s with 50 up front: the other 200 take 2 seconds.
    expect(time.elapsed()).toBe(2000);
  });

  it('never exceeds the rate over any window longer than one burst', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter(40, { burst: 10, now: time.now, sleep: time.sleep });
    const grants: number[] = [];

    for (let i = 0; i < 40; i++) {
      await limiter.acquire(10);
      grants.push(time.now());
    }

    // 400 recipients: 10 at once, then 390 at 40/s.
    expect(time.elapsed()).toBe(9750);
    const inFirstSecondAfterBurst = grants.filter((at) => at > 0 && at <= 1000).length * 10;
    expect(inFirstSecondAfterBurst).toBeLessThanOrEqual(40);
  });

  it('undoes a refunded acquisition exactly: the next caller goes when it would have without it', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter(100, { burst: 50, now: time.now, sleep: time.sleep });
    await limiter.acquire(50);
    await limiter.acquire(50); // paced: goes at 0.5 s

    limiter.refund(50); // that call was throttled: SES sent nothing
    await limiter.acquire(50);
    const third = time.elapsed();
    await limiter.acquire(50);

    expect(third).toBe(500);
    expect(time.elapsed()).toBe(1000);
  });

  it('charges a call larger than the bucket in full, so a slow account is never outpaced', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter(10, { burst: 10, now: time.now, sleep: time.sleep });

    await limiter.acquire(50);
    await limiter.acquire(50);

    // 100 recipients at 10/s with 10 up front: 9 seconds.
    expect(time.elapsed()).toBe(9000);
  });

  it('gives refunded capacity back for the next caller', async () => {
    const time = fakeTime();
    const limiter = createRateLimiter(10, { burst: 10, now: time.now, sleep: time.sleep });

    await limiter.acquire(10);
    limiter.refund(10);
    await limiter.acquire(10);

    expect(time.elapsed()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '@/lib/ratelimit/memory';

describe('MemoryRateLimiter', () => {
  it('allows `limit` hits per window and key, then refuses with the time left in the window', async () => {
    let now = 1_000_000;
    const limiter = new MemoryRateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect(await limiter.hit('a')).toEqual({ allowed: true, remaining: 2 });
    now += 10_000;
    expect(await limiter.hit('a')).toEqual({ allowed: true, remaining: 1 });
    expect(await limiter.hit('a')).toEqual({ allowed: true, remaining: 0 });
    now += 5_000;
    expect(await limiter.hit('a')).toEqual({ allowed: false, retryAfterMs: 45_000 });
    // Another key has its own window.
    expect(await limiter.hit('b')).toEqual({ allowed: true, remaining: 2 });
    // Refused hits do not extend the window.
    now += 44_999;
    expect((await limiter.hit('a')).allowed).toBe(false);
    now += 1;
    expect(await limiter.hit('a')).toEqual({ allowed: true, remaining: 2 });
  });

  it('sweeps expired windows so memory stays bounded', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ limit: 1, windowMs: 1_000, now: () => now });
    for (let i = 0; i <= 10_001; i += 1) await limiter.hit(`key-${i}`);
    expect(limiter.size).toBe(10_002);
    now += 1_000;
    await limiter.hit('fresh');
    expect(limiter.size).toBe(1);
    await limiter.close();
    expect(limiter.size).toBe(0);
  });

  it('rejects a limit below 1 or a bad window', () => {
    expect(() => new MemoryRateLimiter({ limit: 0 })).toThrow(/Invalid rate limit/);
    expect(() => new MemoryRateLimiter({ limit: 1.5 })).toThrow(/Invalid rate limit/);
    expect(() => new MemoryRateLimiter({ limit: 1, windowMs: 0 })).toThrow(/window/);
  });
});

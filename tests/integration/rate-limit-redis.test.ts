import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter } from '@/lib/ratelimit/redis';
import { sleep } from '@/tests/helpers/sleep';

/** Needs a real Redis: REDIS_URL, or 127.0.0.1:6379. Keys live under a prefix unique to this run. */
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `maestro-test:rate:${randomUUID()}:`;
const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
const limiters: RedisRateLimiter[] = [];

const make = (limit: number, windowMs = 60_000) => {
  const limiter = new RedisRateLimiter({ url, prefix, limit, windowMs });
  limiters.push(limiter);
  return limiter;
};

beforeAll(async () => {
  try {
    await admin.connect();
    await admin.ping();
  } catch (error) {
    throw new Error(`These tests need Redis at ${url}.`, { cause: error });
  }
});

afterAll(async () => {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  await Promise.all(limiters.map((limiter) => limiter.close()));
  admin.disconnect();
});

describe('RedisRateLimiter', () => {
  it('allows `limit` hits per window and key, then refuses with the time left', async () => {
    const limiter = make(2);
    expect(await limiter.hit('alice')).toEqual({ allowed: true, remaining: 1 });
    expect(await limiter.hit('alice')).toEqual({ allowed: true, remaining: 0 });
    const refused = await limiter.hit('alice');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.retryAfterMs).toBeGreaterThan(55_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    expect((await limiter.hit('bob')).allowed).toBe(true);
    // The counter carries its window as an expiry, under the prefix.
    const ttl = await admin.pttl(`${prefix}alice`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('is shared by every limiter (instance) on the same Redis', async () => {
    const [a, b] = [make(3), make(3)];
    expect((await a.hit('shared')).allowed).toBe(true);
    expect((await b.hit('shared')).allowed).toBe(true);
    expect((await a.hit('shared')).allowed).toBe(true);
    expect((await b.hit('shared')).allowed).toBe(false);
  });

  it('counts concurrent hits exactly', async () => {
    const limiter = make(10);
    const decisions = await Promise.all(Array.from({ length: 25 }, () => limiter.hit('burst')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
  });

  it('opens a new window once the old one expired', async () => {
    const limiter = make(1, 200);
    expect((await limiter.hit('short')).allowed).toBe(true);
    expect((await limiter.hit('short')).allowed).toBe(false);
    await sleep(250);
    expect(await limiter.hit('short')).toEqual({ allowed: true, remaining: 0 });
  });

  it('repairs a counter left without an expiry', async () => {
    await admin.set(`${prefix}stuck`, '5');
    const limiter = make(10, 30_000);
    expect(await limiter.hit('stuck')).toEqual({ allowed: true, remaining: 4 });
    const ttl = await admin.pttl(`${prefix}stuck`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('rejects when Redis cannot be reached', async () => {
    const limiter = new RedisRateLimiter({ url: 'redis://127.0.0.1:9', prefix, limit: 1, commandTimeoutMs: 500 });
    limiters.push(limiter);
    await expect(limiter.hit('x')).rejects.toThrow();
  });
});

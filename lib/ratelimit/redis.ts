import type { Redis } from 'ioredis';
import { loadIoredis } from '@/lib/node/load-package';
import { getConfig } from '@/lib/config';
import { checkOptions, type RateLimitDecision, type RateLimiter, type RateLimiterOptions } from '@/lib/ratelimit/types';

export type RedisRateLimiterOptions = RateLimiterOptions & {
  /** Default: config.redisUrl, else redis://127.0.0.1:6379. */
  url?: string;
  /** Prefix of every key; default `maestro:rate:`. */
  prefix?: string;
  /** A command that gets no reply within this fails; default 2 s. */
  commandTimeoutMs?: number;
};

/**
 * KEYS: the window's counter. ARGV: window ms. Returns { count, ttl ms }. The counter gets its
 * expiry with its first hit, in the same script, so a counter never lives without one.
 */
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;

/** The limiter shared by every instance: one counter per key in Redis (`<prefix><key>`). */
export class RedisRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly prefix: string;
  private readonly redis: Redis;

  constructor(options: RedisRateLimiterOptions) {
    ({ limit: this.limit, windowMs: this.windowMs } = checkOptions(options));
    this.prefix = options.prefix ?? 'maestro:rate:';
    const { Redis: RedisClient } = loadIoredis();
    this.redis = new RedisClient(options.url ?? getConfig().redisUrl ?? 'redis://127.0.0.1:6379', {
      lazyConnect: true,
      protocol: 2,
      connectTimeout: 2_000,
      commandTimeout: options.commandTimeoutMs ?? 2_000,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(100 * times, 2_000),
    });
    // Errors reach the callers of hit(); without a listener ioredis would also print each one.
    this.redis.on('error', () => undefined);
  }

  async hit(key: string): Promise<RateLimitDecision> {
    const reply = await this.redis.eval(HIT, 1, `${this.prefix}${key}`, this.windowMs);
    const [count, ttl] = Array.isArray(reply) ? reply.map(Number) : [Number.NaN, Number.NaN];
    if (count === undefined || ttl === undefined || !Number.isFinite(count) || !Number.isFinite(ttl)) {
      throw new Error(`Unexpected reply from the rate limit script: ${JSON.stringify(reply)}`);
    }
    if (count > this.limit) return { allowed: false, retryAfterMs: Math.max(ttl, 1) };
    return { allowed: true, remaining: this.limit - count };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

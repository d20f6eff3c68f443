import { getConfig } from '@/lib/config';
import { HttpError } from '@/lib/http/errors';
import { MemoryRateLimiter } from '@/lib/ratelimit/memory';
import { RedisRateLimiter } from '@/lib/ratelimit/redis';
import type { RateLimitDecision, RateLimiter } from '@/lib/ratelimit/types';

export type { RateLimitDecision, RateLimiter, RateLimiterOptions } from '@/lib/ratelimit/types';
export { MemoryRateLimiter } from '@/lib/ratelimit/memory';
export { RedisRateLimiter, type RedisRateLimiterOptions } from '@/lib/ratelimit/redis';

const globalForLimiter = globalThis as typeof globalThis & { __maestroRateLimiter?: RateLimiter | null };

/**
 * The limiter on starting runs of this process: `MAESTRO_RATE_LIMIT_PER_MINUTE` per identity per
 * minute, shared through Redis when `REDIS_URL` is set, in memory otherwise; null when the limit is
 * 0 (off). Kept on globalThis so that Next's dev hot reload does not open new connections.
 */
export function getRateLimiter(): RateLimiter | null {
  if (globalForLimiter.__maestroRateLimiter === undefined) {
    const { rateLimitPerMinute: limit, redisUrl } = getConfig();
    globalForLimiter.__maestroRateLimiter =
      limit === 0 ? null : redisUrl ? new RedisRateLimiter({ limit, url: redisUrl }) : new MemoryRateLimiter({ limit });
  }
  return globalForLimiter.__maestroRateLimiter;
}

/**
 * Counts one run started by `identity`: 429 `rate_limited` with `Retry-After` (seconds) when over
 * the limit. When the shared limiter cannot be reached the run is let through (fail open): the run
 * itself needs Redis too and fails on its own if Redis is really down.
 */
export async function limitRunStarts(identity: string): Promise<void> {
  const limiter = getRateLimiter();
  if (!limiter) return;
  let decision: RateLimitDecision;
  try {
    decision = await limiter.hit(identity);
  } catch (error) {
    console.error('[maestro] rate limiter unavailable, letting the request through:', error instanceof Error ? error.message : error);
    return;
  }
  if (decision.allowed) return;
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  throw new HttpError(429, 'rate_limited', `Too many messages: try again in ${seconds} s.`, { 'retry-after': String(seconds) });
}

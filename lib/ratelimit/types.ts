/** What a limiter answers to one hit. */
export type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/**
 * Counts hits per key (an identity) in fixed windows of `windowMs`, each window starting at the
 * key's first hit after the previous one expired; the `limit + 1`-th hit in a window is refused.
 */
export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  hit(key: string): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

export type RateLimiterOptions = {
  /** Hits allowed per window; at least 1. */
  limit: number;
  /** Default one minute. */
  windowMs?: number;
};

export const DEFAULT_WINDOW_MS = 60_000;

export function checkOptions(options: RateLimiterOptions): { limit: number; windowMs: number } {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  if (!Number.isInteger(options.limit) || options.limit < 1)
    throw new Error(`Invalid rate limit ${options.limit}: it must be an integer >= 1.`);
  if (!Number.isInteger(windowMs) || windowMs < 1) throw new Error(`Invalid rate limit window ${windowMs} ms.`);
  return { limit: options.limit, windowMs };
}

import { checkOptions, type RateLimitDecision, type RateLimiter, type RateLimiterOptions } from '@/lib/ratelimit/types';

type Window = { count: number; resetAt: number };

/** Above this many keys, expired windows are swept on the next hit (memory stays bounded). */
const SWEEP_ABOVE = 10_000;

/** The limiter of a single process: windows in a Map. `now` is injectable for tests. */
export class MemoryRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly windows = new Map<string, Window>();
  private readonly now: () => number;

  constructor(options: RateLimiterOptions & { now?: () => number }) {
    ({ limit: this.limit, windowMs: this.windowMs } = checkOptions(options));
    this.now = options.now ?? Date.now;
  }

  async hit(key: string): Promise<RateLimitDecision> {
    const now = this.now();
    if (this.windows.size > SWEEP_ABOVE) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count > this.limit) return { allowed: false, retryAfterMs: window.resetAt - now };
    return { allowed: true, remaining: this.limit - window.count };
  }

  /** Keys with a live window (tests). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}

/**
 * The callbacks waiting on a run's log: readers parked until something new comes in it
 * (`waitForWake`, `wakeAll`), and the producer's watch for a stop request (`StopWatchers`).
 */

/** Readers waiting for something new in a run; each removes itself from the set when it resolves. */
export type Waiters = Set<() => void>;

/** Resolves on the next `wakeAll(waiters)`, after `waitMs`, or when `signal` aborts. */
export function waitForWake(waiters: Waiters, waitMs: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      waiters.delete(done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    signal?.addEventListener('abort', done, { once: true });
    waiters.add(done);
  });
}

/** Resolves every reader waiting in `waiters`. */
export function wakeAll(waiters: Waiters): void {
  for (const done of [...waiters]) done();
}

/** The callbacks to call when a run's stop is requested, by key (its run id, or its stop channel). */
export class StopWatchers {
  private readonly byKey = new Map<string, Set<() => void>>();

  /**
   * Adds `onStop` under `key`. `fire` calls it at most once, removing it first (a stop may be seen
   * twice: published and found in its key); `unwatch` removes it without calling it.
   */
  watch(key: string, onStop: () => void): { fire: () => void; unwatch: () => void } {
    let fired = false;
    const fire = () => {
      if (fired) return;
      fired = true;
      unwatch();
      onStop();
    };
    const unwatch = () => {
      const callbacks = this.byKey.get(key);
      if (callbacks?.delete(fire) && callbacks.size === 0) this.byKey.delete(key);
    };
    const callbacks = this.byKey.get(key) ?? new Set();
    callbacks.add(fire);
    this.byKey.set(key, callbacks);
    return { fire, unwatch };
  }

  /** Calls every callback watching `key`. */
  fire(key: string): void {
    for (const fire of [...(this.byKey.get(key) ?? [])]) fire();
  }

  /** The keys someone watches. */
  keys(): string[] {
    return [...this.byKey.keys()];
  }

  clear(): void {
    this.byKey.clear();
  }
}

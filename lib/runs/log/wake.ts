/**
 * Readers waiting for something new in a run: `waitForWake` parks one until `wakeAll` is called, its
 * wait is over, or its signal aborts. Each waiter removes itself from the set when it resolves.
 */
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

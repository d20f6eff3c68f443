import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { currentShareMs, narrowShareWhileStarting, SHARE_MS, shareUsedUp, STARTING_SHARE_MS, yieldToIO } from '@/lib/runs/event-loop-share';

const PIECE_MS = 0.4;

/** Keeps the CPU busy for `ms`, as a producer does with a fast model. */
function work(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

/** How many iterations the event loop has made (libuv's own count). */
const loopCount = () => performance.nodeTiming.uvMetricsInfo.loopCount;

/**
 * `producers` loops that each do `pieces` pieces of CPU work, yielding as a run's producer does.
 * Returns, per iteration of the event loop, which producers worked in it.
 */
async function share(producers: number, pieces: number, pieceMs = PIECE_MS): Promise<number[][]> {
  const iterations = new Map<number, number[]>();
  await Promise.all(
    Array.from({ length: producers }, async (_, producer) => {
      await yieldToIO();
      for (let piece = 0; piece < pieces; piece += 1) {
        work(pieceMs);
        const iteration = loopCount();
        iterations.set(iteration, [...(iterations.get(iteration) ?? []), producer]);
        if (shareUsedUp()) await yieldToIO();
      }
    }),
  );
  return [...iterations.values()];
}

describe('producers sharing the event loop', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('work together at most their share (and one piece past it) between two polls for I/O', async () => {
    const iterations = await share(8, 6);
    expect(iterations.flat()).toHaveLength(8 * 6);
    // The share is 1 ms: pieces of 0.4 ms stop after the third at the latest. All eight at once
    // (each doing a piece before seeing the share used up) would make iterations of 3.2 ms.
    for (const iteration of iterations) expect(iteration.length).toBeLessThanOrEqual(3);
  });

  it('take turns oldest first, so that no producer waits for the others to finish', async () => {
    // Pieces as long as the share: each producer yields after every piece.
    const order = (await share(4, 6, 1)).flat();
    // Every producer has done its first piece before any has done its third.
    const firstPieces = [0, 1, 2, 3].map((producer) => order.indexOf(producer));
    const thirdPieces = [0, 1, 2, 3].map((producer) => order.indexOf(producer, order.indexOf(producer, firstPieces[producer]! + 1) + 1));
    expect(Math.max(...firstPieces)).toBeLessThan(Math.min(...thirdPieces));
  });

  it('work one piece per iteration while a run waits for the replies that start it, and their whole share again after', async () => {
    let repliesCame!: (value: string) => void;
    const starting = narrowShareWhileStarting(new Promise<string>((resolve) => (repliesCame = resolve)));
    expect(currentShareMs()).toBe(STARTING_SHARE_MS);
    const iterations = await share(8, 3);
    expect(iterations.flat()).toHaveLength(8 * 3);
    // Pieces of 0.4 ms are past the 0.25 ms share of an iteration while a run starts: one per iteration.
    for (const iteration of iterations) expect(iteration).toHaveLength(1);
    repliesCame('started');
    await expect(starting).resolves.toBe('started');
    expect(currentShareMs()).toBe(SHARE_MS);
  });

  it('get their share back when the start fails', async () => {
    const failing = narrowShareWhileStarting(Promise.reject(new Error('the store is down')));
    expect(currentShareMs()).toBe(STARTING_SHARE_MS);
    await expect(failing).rejects.toThrow('the store is down');
    expect(currentShareMs()).toBe(SHARE_MS);
  });

  it('get their share back from a start that waits for its replies over a second', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    void narrowShareWhileStarting(new Promise<never>(() => undefined));
    vi.advanceTimersByTime(999);
    expect(currentShareMs()).toBe(STARTING_SHARE_MS);
    vi.advanceTimersByTime(1);
    expect(currentShareMs()).toBe(SHARE_MS);
  });
});

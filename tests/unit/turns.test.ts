import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { nextTurn, sliceUsedUp, whileStarting } from '@/lib/runs/turns';
import { sleep } from '@/tests/helpers/sleep';

const PIECE_MS = 0.4;
/** Pieces so short that even on a loaded machine two fit in a 1 ms slice. */
const SHORT_PIECE_MS = 0.05;

/** Keeps the CPU busy for `ms`, as a producer does with a fast model. */
function work(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

/** How many turns the event loop has made (libuv's own count). */
const loopCount = () => performance.nodeTiming.uvMetricsInfo.loopCount;

/**
 * `producers` loops that each do `pieces` pieces of CPU work, yielding as a run's producer does.
 * Returns, per turn of the event loop, which producers worked in it.
 */
async function share(producers: number, pieces: number, pieceMs = PIECE_MS): Promise<number[][]> {
  const turns = new Map<number, number[]>();
  await Promise.all(
    Array.from({ length: producers }, async (_, producer) => {
      await nextTurn();
      for (let piece = 0; piece < pieces; piece += 1) {
        work(pieceMs);
        const turn = loopCount();
        turns.set(turn, [...(turns.get(turn) ?? []), producer]);
        if (sliceUsedUp()) await nextTurn();
      }
    }),
  );
  return [...turns.values()];
}

describe('producers sharing the event loop', () => {
  it('work together at most a slice (and one piece past it) between two polls for I/O', async () => {
    const turns = await share(8, 6);
    expect(turns.flat()).toHaveLength(8 * 6);
    // The slice is 1 ms: pieces of 0.4 ms stop after the third at the latest. All eight at once
    // (each doing a piece before seeing the slice used up) would make turns of 3.2 ms.
    for (const turn of turns) expect(turn.length).toBeLessThanOrEqual(3);
  });

  it('take turns oldest first, so that no producer waits for the others to finish', async () => {
    // Pieces as long as the slice: each producer yields after every piece.
    const turns = await share(4, 6, 1);
    const order = turns.flat();
    // Every producer has done its first piece before any has done its third.
    const firstPieces = [0, 1, 2, 3].map((producer) => order.indexOf(producer));
    const thirdPieces = [0, 1, 2, 3].map((producer) => order.indexOf(producer, order.indexOf(producer, firstPieces[producer]! + 1) + 1));
    expect(Math.max(...firstPieces)).toBeLessThan(Math.min(...thirdPieces));
  });

  it('work one piece per turn while a run waits for the replies that start it, and their slice again after', async () => {
    let repliesCame!: (value: string) => void;
    const starting = whileStarting(new Promise<string>((resolve) => (repliesCame = resolve)));
    const turns = await share(8, 3);
    expect(turns.flat()).toHaveLength(8 * 3);
    // Pieces of 0.4 ms are past the 0.25 ms share of a turn while a run starts: one per turn.
    for (const turn of turns) expect(turn).toHaveLength(1);
    repliesCame('started');
    await expect(starting).resolves.toBe('started');
    // Then 1 ms again: up to three.
    const after = await share(8, 3, SHORT_PIECE_MS);
    expect(Math.max(...after.map((turn) => turn.length))).toBeGreaterThan(1);
  });

  it('get their share back when the start fails', async () => {
    await expect(whileStarting(Promise.reject(new Error('the store is down')))).rejects.toThrow('the store is down');
    const turns = await share(8, 3, SHORT_PIECE_MS);
    expect(Math.max(...turns.map((turn) => turn.length))).toBeGreaterThan(1);
  });

  it('get their share back from a start that waits for its replies over a second', async () => {
    void whileStarting(new Promise<never>(() => undefined));
    await sleep(1_100);
    const turns = await share(8, 3, SHORT_PIECE_MS);
    expect(Math.max(...turns.map((turn) => turn.length))).toBeGreaterThan(1);
  });
});

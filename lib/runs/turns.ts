/**
 * Shares the event loop between the runs this process produces. A fast model can produce a whole
 * answer without ever waiting on I/O; left alone, ten such runs would keep a new request (or a
 * viewer's next frames) waiting for all of their work. Instead, together they work at most
 * `SLICE_MS` per turn of the event loop, then let it serve I/O before they go on.
 */

/** Longest the producers work, together, in one turn of the event loop. */
const SLICE_MS = 2;

let turnStartedAt = 0;
let waiting: Array<() => void> = [];
let scheduled = false;

function startTurn(): void {
  scheduled = false;
  turnStartedAt = performance.now();
  const resume = waiting;
  waiting = [];
  for (const go of resume) go();
}

/** Whether this turn's slice is used up: the producer should wait for `nextTurn()`. */
export function sliceUsedUp(): boolean {
  return performance.now() - turnStartedAt > SLICE_MS;
}

/** Resolves in the next turn of the event loop, after pending I/O has been served. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (scheduled) return;
    scheduled = true;
    setImmediate(startTurn);
  });
}

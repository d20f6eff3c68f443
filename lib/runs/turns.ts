/**
 * Shares the event loop between the runs this process produces. A fast model can produce a whole
 * answer without ever waiting on I/O; left alone, ten such runs would keep a new request (or a
 * viewer's next frames) waiting for all of their work. Instead, together they work at most
 * `SLICE_MS` per turn of the event loop, then let it serve I/O before they go on.
 *
 * Under answers paced by a provider over the network it helps the first status and costs delivery
 * lag: in `npm run bench -- --only=network` (runs with and without it alternating, docs/PERFORMANCE.md)
 * the first status at 100 chats came 3-8 times sooner with it (p50 31-33 ms against 99-253 ms),
 * and the tokens' delivery lag p99 was 1.3-2 times longer.
 */

/**
 * Longest the producers work, together, in one turn of the event loop. What waits for I/O (a new
 * request, its store's reply) waits up to this long for them: at 10 zero-delay chats on Postgres
 * and Redis, a 1 ms share gave a first status about 3 ms sooner than 2 ms, for no fewer chats a
 * second there (and at most a tenth fewer on the embedded default).
 */
const SLICE_MS = 1;
/** The same while a run is starting (see `whileStarting`). */
const STARTING_SLICE_MS = 0.25;
/** A start that waits longer than this (a lock, a lost connection) no longer cuts the share. */
const STARTING_CUT_MAX_MS = 1_000;
/** Runs waiting for the replies that start them. */
let starting = 0;

let turnStartedAt = 0;
/** Producers waiting for their next piece of work, oldest first. */
const waiting: Array<() => void> = [];
let turnStartQueued = false;

// Producers are resumed one at a time, each from an immediate of its own: Node runs the microtasks
// of one immediate before the next, so a resumed producer has done its piece of work before the
// slice is checked for the next one. (Resuming them all at once let every one do a piece after the
// slice was used up: with ten runs, turns of 5-12 ms.) The turn starts with the first immediate
// queued for it, which is queued before any producer's.
function startTurn(): void {
  turnStartQueued = false;
  turnStartedAt = performance.now();
}

function resumeOne(): void {
  if (sliceUsedUp()) queueResume();
  else waiting.shift()?.();
}

function queueResume(): void {
  if (!turnStartQueued) {
    turnStartQueued = true;
    setImmediate(startTurn);
  }
  setImmediate(resumeOne);
}

/** Whether this turn's slice is used up: the producer should wait for `nextTurn()`. */
export function sliceUsedUp(): boolean {
  return performance.now() - turnStartedAt > (starting > 0 ? STARTING_SLICE_MS : SLICE_MS);
}

/**
 * Waits for `replies`, a new run's round trips to its store and log, with the producers' share cut
 * to STARTING_SLICE_MS meanwhile. The replies are read when the event loop next polls for I/O, and
 * the producers' work comes before that: cut short, it keeps the new chat's first status from
 * waiting on answers that are already streaming (on Postgres and Redis, at 10 zero-delay chats,
 * p50 about 15 → 10 ms, for no fewer chats a second).
 */
export async function whileStarting<T>(replies: Promise<T>): Promise<T> {
  starting += 1;
  let counted = true;
  const uncount = () => {
    if (!counted) return;
    counted = false;
    starting -= 1;
  };
  const limit = setTimeout(uncount, STARTING_CUT_MAX_MS);
  try {
    return await replies;
  } finally {
    clearTimeout(limit);
    uncount();
  }
}

/** Resolves in a later turn of the event loop, after pending I/O has been served (oldest waiting first). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    queueResume();
  });
}

/** `nextTurn()` when the slice is used up; nothing to wait for while it lasts. */
export function turnIfDue(): Promise<void> | undefined {
  return sliceUsedUp() ? nextTurn() : undefined;
}

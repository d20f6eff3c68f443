/**
 * Shares the event loop between the runs this process produces. A fast model can produce a whole
 * answer without ever waiting on I/O; left alone, ten such runs would keep a new request (or a
 * viewer's next frames) waiting for all of their work. Instead, together they work at most
 * `SHARE_MS` per iteration of the event loop, then let it serve I/O before they go on.
 * Its effect on first status and delivery lag: `npm run bench -- --only=network` (docs/PERFORMANCE.md).
 */

/**
 * Longest the producers work, together, in one iteration of the event loop. What waits for I/O (a
 * new request, its store's reply) waits up to this long for them.
 */
export const SHARE_MS = 1;
/** The share while a run is starting (see `narrowShareWhileStarting`). */
export const STARTING_SHARE_MS = 0.25;
/** A start that waits longer than this (a lock, a lost connection) no longer narrows the share. */
const STARTING_NARROWS_AT_MOST_MS = 1_000;
/** Runs waiting for the replies that start them. */
let starting = 0;

let iterationStartedAt = 0;
/** Producers waiting for their next piece of work, oldest first. */
const waiting: Array<() => void> = [];
let iterationStartQueued = false;

// Producers are resumed one at a time, each from an immediate of its own: Node runs the microtasks
// of one immediate before the next, so a resumed producer has done its piece of work before the
// share is checked for the next one (resuming them all at once would let every one do a piece
// after the share was used up). The iteration's share starts with the first immediate queued for
// it, which is queued before any producer's.
function startIteration(): void {
  iterationStartQueued = false;
  iterationStartedAt = performance.now();
}

function resumeOne(): void {
  if (shareUsedUp()) queueResume();
  else waiting.shift()?.();
}

function queueResume(): void {
  if (!iterationStartQueued) {
    iterationStartQueued = true;
    setImmediate(startIteration);
  }
  setImmediate(resumeOne);
}

/** The producers' share of the current iteration of the event loop, in ms: narrower while a run starts. */
export function currentShareMs(): number {
  return starting > 0 ? STARTING_SHARE_MS : SHARE_MS;
}

/** Whether this iteration's share is used up: the producer should wait for `yieldToIO()`. */
export function shareUsedUp(): boolean {
  return performance.now() - iterationStartedAt > currentShareMs();
}

/**
 * Waits for `replies`, a new run's round trips to its store and log, with every producer's share
 * narrowed to STARTING_SHARE_MS meanwhile. The replies are read when the event loop next polls for
 * I/O, and the producers' work comes before that: narrowed, it keeps the new chat's first status
 * from waiting on answers that are already streaming.
 */
export async function narrowShareWhileStarting<T>(replies: Promise<T>): Promise<T> {
  starting += 1;
  let counted = true;
  const uncount = () => {
    if (!counted) return;
    counted = false;
    starting -= 1;
  };
  const limit = setTimeout(uncount, STARTING_NARROWS_AT_MOST_MS);
  try {
    return await replies;
  } finally {
    clearTimeout(limit);
    uncount();
  }
}

/** Resolves in a later iteration of the event loop, after pending I/O has been served (oldest waiting first). */
export function yieldToIO(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    queueResume();
  });
}

/** `yieldToIO()` when the share is used up; nothing to wait for while it lasts. */
export function yieldIfShareUsedUp(): Promise<void> | undefined {
  return shareUsedUp() ? yieldToIO() : undefined;
}

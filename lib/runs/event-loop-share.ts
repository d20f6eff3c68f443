/**
 * Shares the event loop between this process's runs: together they work at most `SHARE_MS` per iteration, then
 * let I/O in, so a fast model that never waits cannot starve new requests or viewers (`npm run bench -- --only=network`).
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

// One immediate per resumed producer: Node runs one immediate's microtasks before the next, so the share is
// checked between producers rather than after all of them have done a piece.
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
 * Waits for a new run's round trips (`replies`) with every producer's share narrowed to STARTING_SHARE_MS, so
 * its first status does not wait for answers already streaming, whose work comes before the next I/O poll.
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

// Run-log positions, as frames carry them in `id:` and clients send them back in Last-Event-ID.
// The memory log numbers entries 1, 2, …; the Redis log uses stream ids `<ms>-<seq>`.
// Self-contained (no imports) for plain-Node scripts.

const MEMORY_POSITION = /^\d{1,15}$/;
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
const LOG_POSITION = /^\d{1,20}(-\d{1,20})?$/;

/** A memory log position: a whole number small enough to be exact as a JS number. */
export const isMemoryPosition = (value: string): boolean => MEMORY_POSITION.test(value);

/** A Redis log position: a stream id `<ms>-<seq>`. */
export const isStreamId = (value: string): boolean => STREAM_ID.test(value);

/** Anything that may be a position in some backend's log (what a Last-Event-ID may hold). */
export const isLogPosition = (value: string): boolean => LOG_POSITION.test(value);

/** Orders two positions of the same log (a missing `-<seq>` counts as 0); negative when `a` comes first. */
export function comparePositions(a: string, b: string): number {
  const [aFirst = 0, aSecond = 0] = a.split('-').map(Number);
  const [bFirst = 0, bSecond = 0] = b.split('-').map(Number);
  return aFirst - bFirst || aSecond - bSecond;
}

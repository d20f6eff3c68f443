import { performance } from 'node:perf_hooks';

/**
 * How much to stretch the coalescing window (see `coalesceDeltas`) for how busy this process is.
 * Every part costs about the same to carry whatever its size, so when the event loop is saturated
 * (many answers streaming at once) fuller, fewer parts let it keep up with the models instead of
 * falling behind them: the window doubles while the loop stays busy, up to `MAX_STRETCH` times, and
 * halves back once it has time to spare. Measured from the event loop's utilization, sampled every
 * `SAMPLE_MS` on demand (no timer of its own) and smoothed over about two seconds, so that a burst
 * of work (rendering a page) does not stretch it: only a loop that stays saturated while many
 * answers stream (`countStreaming`) does. Under answers from a provider over the network
 * (`npm run bench -- --only=network`, 200 chats, runs with and without it alternating) it cut the
 * CPU per token by about 5-10 % (96-102 µs against 107-109 µs); see docs/PERFORMANCE.md.
 */

const SAMPLE_MS = 250;
const MAX_STRETCH = 5;
/** Utilization above which the loop counts as saturated, and below which it has time to spare. */
const BUSY = 0.9;
const CALM = 0.6;
/** Fewer answers than this streaming at once never stretch it: the loop is busy with something else. */
const MIN_STREAMS = 20;
/** Weight of the newest sample in the smoothed utilization. */
const SMOOTHING = 0.3;

let lastSample = performance.eventLoopUtilization();
let lastSampleAt = performance.now();
let smoothed = 0;
let stretch = 1;
let streaming = 0;

/** Counts an answer streaming in this process until the returned function is called. */
export function countStreaming(): () => void {
  streaming += 1;
  let counted = true;
  return () => {
    if (counted) streaming -= 1;
    counted = false;
  };
}

/** The factor to multiply the coalescing window by now: 1 on a process with time to spare. */
export function loadStretch(): number {
  const now = performance.now();
  if (now - lastSampleAt < SAMPLE_MS) return stretch;
  const sample = performance.eventLoopUtilization();
  const { utilization } = performance.eventLoopUtilization(sample, lastSample);
  lastSample = sample;
  lastSampleAt = now;
  smoothed += SMOOTHING * (utilization - smoothed);
  if (smoothed > BUSY && streaming >= MIN_STREAMS) stretch = Math.min(MAX_STRETCH, stretch * 2);
  else if (smoothed < CALM) stretch = Math.max(1, stretch / 2);
  return stretch;
}

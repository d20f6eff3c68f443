import { performance } from 'node:perf_hooks';

/**
 * How much to stretch the coalescing window (see `coalesceDeltas`) for how busy this process is.
 * Every part costs about the same to carry whatever its size, so when the event loop is saturated
 * (many answers streaming at once) fuller, fewer parts let it keep up with the models instead of
 * falling behind them: the window doubles while the loop is busy, up to `MAX_STRETCH` times, and
 * halves back once it has time to spare. Measured from the event loop's utilization over the last
 * `SAMPLE_MS`, on demand (no timer of its own).
 */

const SAMPLE_MS = 250;
const MAX_STRETCH = 5;
/** Utilization above which the loop counts as saturated, and below which it has time to spare. */
const BUSY = 0.9;
const CALM = 0.6;

let lastSample = performance.eventLoopUtilization();
let lastSampleAt = performance.now();
let stretch = 1;

/** The factor to multiply the coalescing window by now: 1 on a process with time to spare. */
export function loadStretch(): number {
  const now = performance.now();
  if (now - lastSampleAt < SAMPLE_MS) return stretch;
  const sample = performance.eventLoopUtilization();
  const { utilization } = performance.eventLoopUtilization(sample, lastSample);
  lastSample = sample;
  lastSampleAt = now;
  if (utilization > BUSY) stretch = Math.min(MAX_STRETCH, stretch * 2);
  else if (utilization < CALM) stretch = Math.max(1, stretch / 2);
  return stretch;
}

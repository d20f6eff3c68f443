// 1. Time to first byte and to the first status event after POST, at several concurrencies.
import { pool, summarize } from '../lib/stats.mjs';
import { ask, TOOL_AND_SHORT_ANSWER } from './targets.mjs';

/**
 * For each concurrency, `requests(c)` chats in a closed loop of c at a time, after `warmup` chats
 * (10 at a time) that are not counted: a fresh process runs its first hundreds of requests before
 * the JIT has compiled their paths (the cold start is a scenario of its own). Returns one row per
 * concurrency with first byte and first status p50/p99 (ms).
 */
export async function measureLatency(target, { concurrencies, requests, warmup }) {
  const rows = [];
  await pool(warmup, Math.min(10, warmup), () => ask(target, TOOL_AND_SHORT_ANSWER, { keepFrames: false }));
  for (const concurrency of concurrencies) {
    const results = await pool(requests(concurrency), concurrency, async () => {
      const result = await ask(target, TOOL_AND_SHORT_ANSWER, { keepFrames: false });
      if (result.status !== 200 || !result.done) throw new Error(`${target.name}: HTTP ${result.status}, done ${result.done}`);
      return result;
    });
    const firstByte = summarize(results.map((r) => r.firstByteMs));
    const statuses = results.map((r) => r.firstStatusMs).filter((ms) => ms !== undefined);
    const firstStatus = summarize(statuses);
    rows.push({
      target: target.name,
      concurrency,
      requests: results.length,
      firstByte,
      firstStatus: statuses.length > 0 ? firstStatus : null,
    });
  }
  return rows;
}

// scratch: latency at a concurrency against a running maestro (URL env), or start one.
import { pool, summarize } from './lib/stats.mjs';
import { ask, maestroTarget, TOOL_AND_SHORT_ANSWER } from './server/targets.mjs';
const backend = process.env.BACKEND ?? 'embedded';
const target = await maestroTarget(Number(process.env.PORT ?? 3170), backend, { env: process.env.PROF ? { NODE_OPTIONS: process.env.PROF } : {} });
await pool(40, 4, () => ask(target, TOOL_AND_SHORT_ANSWER));
for (const c of (process.env.CS ?? '1,10').split(',').map(Number)) {
  for (let rep = 0; rep < Number(process.env.REPS ?? 2); rep++) {
    const results = await pool(c === 1 ? 150 : 40 * c, c, () => ask(target, TOOL_AND_SHORT_ANSWER, { keepFrames: false }));
    const fs = summarize(results.map((r) => r.firstStatusMs));
    console.log(`c=${c} first status p50 ${fs.p50.toFixed(1)} p99 ${fs.p99.toFixed(1)}`);
  }
}
await target.stop();

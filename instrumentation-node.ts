import { setFlagsFromString } from 'node:v8';
import { getConfig } from '@/lib/config';
import { refuseForbiddenMethods } from '@/lib/http/forbidden-methods';
import { startMcpOrExit } from '@/lib/mcp/boot';
import { recoverAbandonedRuns } from '@/lib/runs/interrupt';
import { getRunLog } from '@/lib/runs/log';

/**
 * What a server instance does when it starts, in the Node.js runtime (instrumentation.ts loads this
 * file only there: it uses Node-only modules).
 *
 * The run log is made here, outside any request: its timers and connections keep the async context
 * they were created in, which would otherwise be the first request's, with its request and response
 * objects, for the life of the process.
 *
 * A run whose producer died with the previous process (killed, crashed, redeployed) would otherwise
 * look active until someone opened its chat: such runs are ended (interrupted) right away, their
 * answers saved from the run log, so that their chats are not stuck and their followers get a
 * terminal event. Runs that another live instance holds (its lease) are left alone.
 */
export async function registerNode(): Promise<void> {
  refuseForbiddenMethods();
  // Streams promote many short-lived objects to the old generation, and V8's own heuristics let it
  // grow to two or three times what a full collection keeps before collecting it again (1,000
  // paced streams: 1.25 GB resident for a live heap of 400 MB). A fixed growth factor keeps the
  // process near its live set, for about the same CPU. It is read at every collection. Under
  // answers from a provider over the network (`npm run bench -- --only=network`, 200 chats) the
  // peak was 391 MB with it and 510 MB without, in runs side by side (docs/PERFORMANCE.md).
  const { heapGrowthPercent } = getConfig();
  if (heapGrowthPercent > 0) setFlagsFromString(`--heap-growing-percent=${heapGrowthPercent}`);
  startMcpOrExit();
  getRunLog();
  try {
    await recoverAbandonedRuns();
  } catch (error) {
    // The database may not be up yet: the first request tries again (recoverAbandonedRuns is lazy too).
    console.error('[maestro] could not recover abandoned runs at startup:', error);
  }
}

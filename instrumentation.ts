/**
 * Runs once when a server instance starts. The run log is made here, outside any request: its
 * timers and connections keep the async context they were created in, which would otherwise be
 * the first request's, with its request and response objects, for the life of the process.
 *
 * A run whose producer died with the previous process
 * (killed, crashed, redeployed) would otherwise look active until someone opened its chat: end
 * such runs (interrupted) right away, so that their chats are not stuck and their followers get a
 * terminal event. Runs that another live instance holds (its lease) are left alone.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Streams promote many short-lived objects to the old generation, and V8's own heuristics let it
  // grow to two or three times what a full collection keeps before collecting it again (1,000
  // paced streams: 1.25 GB resident for a live heap of 400 MB). A fixed growth factor keeps the
  // process near its live set, for about the same CPU. It is read at every collection. Under
  // answers from a provider over the network (`npm run bench -- --only=network`, 200 chats) the
  // peak was 391 MB with it and 510 MB without, in runs side by side (docs/PERFORMANCE.md).
  const { heapGrowthPercent } = (await import('@/lib/config')).getConfig();
  if (heapGrowthPercent > 0) (await import('node:v8')).setFlagsFromString(`--heap-growing-percent=${heapGrowthPercent}`);
  const { recoverAbandonedRuns } = await import('@/lib/runs/interrupt');
  const { getRunLog } = await import('@/lib/runs/log');
  getRunLog();
  try {
    await recoverAbandonedRuns();
  } catch (error) {
    // The database may not be up yet: the first request tries again (recoverAbandonedRuns is lazy too).
    console.error('[maestro] could not recover abandoned runs at startup:', error);
  }
}

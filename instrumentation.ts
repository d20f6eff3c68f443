/**
 * Runs once when a server instance starts. A run whose producer died with the previous process
 * (killed, crashed, redeployed) would otherwise look active until someone opened its chat: end
 * such runs (interrupted) right away, so that their chats are not stuck and their followers get a
 * terminal event. Runs that another live instance holds (its lease) are left alone.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { recoverAbandonedRuns } = await import('@/lib/runs/interrupt');
  try {
    await recoverAbandonedRuns();
  } catch (error) {
    // The database may not be up yet: the first request tries again (recoverAbandonedRuns is lazy too).
    console.error('[maestro] could not recover abandoned runs at startup:', error);
  }
}

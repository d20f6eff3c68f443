import { setFlagsFromString } from 'node:v8';
import { getConfig } from '@/lib/config';
import { refuseForbiddenMethods } from '@/lib/http/forbidden-methods';
import { startMcpOrExit } from '@/lib/mcp/boot';
import { recoverAbandonedRuns } from '@/lib/runs/interrupt';
import { getRunLog } from '@/lib/runs/log';

/**
 * Server start in the Node.js runtime. The run log is made here, outside any request, or its timers would keep
 * the first request's async context alive; runs orphaned by the previous process are interrupted at once.
 */
export async function registerNode(): Promise<void> {
  refuseForbiddenMethods();
  // Streams promote many short-lived objects and V8 lets the old generation grow well past its live set; a fixed
  // growth factor keeps the process near it for about the same CPU (`npm run bench -- --only=network`).
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

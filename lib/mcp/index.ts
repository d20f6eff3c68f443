import type { ExternalTools } from '@/lib/tools/catalog';

/** The tools of the configured MCP servers (none yet). */
export async function mcpTools(): Promise<ExternalTools> {
  return { entries: [], tools: {}, servers: [] };
}

import { mcpTools } from '@/lib/mcp';
import { builtinCatalog } from '@/lib/tools/builtin-catalog';
import type { CatalogEntry, ServerStatus } from '@/lib/tools/catalog';

/** What `GET /api/tools` answers: every tool (built-in, then each MCP server's) and the MCP servers. */
export type ToolCatalog = { tools: CatalogEntry[]; servers: ServerStatus[] };

export async function toolCatalog(): Promise<ToolCatalog> {
  const external = await mcpTools();
  return { tools: [...builtinCatalog(), ...external.entries], servers: external.servers };
}

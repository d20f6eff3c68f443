import { mcpTools } from '@/lib/mcp';
import { getConfig } from '@/lib/config';
import type { CatalogEntry, ServerStatus } from '@/lib/tools/catalog';
import { catalogWith } from '@/lib/tools/policy';

/** What `GET /api/tools` answers: every tool (built-in, then each MCP server's) and the MCP servers. */
export type ToolCatalog = { tools: CatalogEntry[]; servers: ServerStatus[] };

/** Every tool with the policy it runs under: the defaults and the MCP configuration, with MAESTRO_TOOL_APPROVAL applied. */
export async function toolCatalog(): Promise<ToolCatalog> {
  const config = getConfig();
  const external = await mcpTools();
  return { tools: catalogWith(config, external.entries, config.toolApproval), servers: external.servers };
}

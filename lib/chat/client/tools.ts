import { requestFailure } from '@/lib/chat/client/errors';
import type { ToolCatalog } from '@/lib/tools/tool-catalog';

export type { ToolCatalog };

/** The tools and MCP servers (`GET /api/tools`). */
export async function fetchToolCatalog(signal?: AbortSignal): Promise<ToolCatalog> {
  const response = await fetch('/api/tools', { signal, cache: 'no-store' });
  if (!response.ok) throw await requestFailure(response, 'Loading the tools');
  return (await response.json()) as ToolCatalog;
}

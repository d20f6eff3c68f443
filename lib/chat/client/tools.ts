import { parseApiErrorBody } from '@/lib/chat/client/errors';
import type { ToolCatalog } from '@/lib/tools/tool-catalog';

export type { ToolCatalog };

/** The tools and MCP servers (`GET /api/tools`). */
export async function fetchToolCatalog(signal?: AbortSignal): Promise<ToolCatalog> {
  const response = await fetch('/api/tools', { signal, cache: 'no-store' });
  if (!response.ok) {
    const parsed = parseApiErrorBody(await response.text().catch(() => ''));
    throw new Error(parsed?.message ?? `Loading the tools failed (HTTP ${response.status}).`);
  }
  return (await response.json()) as ToolCatalog;
}

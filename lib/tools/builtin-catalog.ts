import { getConfig } from '@/lib/config';
import { FETCH_URL_DISABLED_MESSAGE } from '@/lib/tools/fetch-url';
import { isToolOffered, tools, type ToolName } from '@/lib/tools';
import type { CatalogEntry, ToolApproval } from '@/lib/tools/catalog';

/** Built-in tools that ask before they run: `fetch_url` reaches out to the web. */
const ASKING: ReadonlySet<ToolName> = new Set(['fetch_url']);

/** The built-in tools as `GET /api/tools` lists them: every tool, with its policy and whether it is offered. */
export function builtinCatalog(config: { fetchUrl: { enabled: boolean } } = getConfig()): CatalogEntry[] {
  return (Object.keys(tools) as ToolName[]).map((name) => {
    const available = isToolOffered(name, config);
    const approval: ToolApproval = ASKING.has(name) ? 'ask' : 'auto';
    const description = tools[name].description;
    return {
      name,
      description: typeof description === 'string' ? description : '',
      source: 'builtin',
      approval,
      available,
      ...(available ? {} : { error: FETCH_URL_DISABLED_MESSAGE }),
    };
  });
}

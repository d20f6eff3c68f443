import { handleErrors } from '@/lib/http/errors';
import { toolCatalog } from '@/lib/tools/tool-catalog';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The tools the agent can use and the MCP servers they come from, with status and approval policy. */
export const GET = handleErrors(async () => Response.json(await toolCatalog()));

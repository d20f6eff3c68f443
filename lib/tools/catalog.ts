import type { ToolSet } from 'ai';

/** What happens when the model calls a tool: it runs at once, waits for the user, or is refused. */
export type ToolApproval = 'auto' | 'ask' | 'deny';

/** Where a tool comes from: Maestro itself, or the MCP server of that name. */
export type ToolSource = 'builtin' | `mcp:${string}`;

/** One tool as the agent and `GET /api/tools` see it. */
export type CatalogEntry = {
  /** The name the model calls it by (`<server>__<tool>` for an MCP tool). */
  name: string;
  description: string;
  source: ToolSource;
  approval: ToolApproval;
  /** Why the approval is stricter than configured (e.g. a changed definition), shown on the card. */
  approvalReason?: string;
  available: boolean;
  error?: string;
};

/** One MCP server's connection, as `GET /api/tools` reports it. */
export type ServerStatus = {
  name: string;
  transport: 'stdio' | 'http' | 'sse';
  status: 'connected' | 'connecting' | 'failed';
  error?: string;
  toolCount: number;
};

/** Tools from outside this codebase: their catalog entries, the AI SDK tools to offer, their servers. */
export type ExternalTools = { entries: CatalogEntry[]; tools: ToolSet; servers: ServerStatus[] };

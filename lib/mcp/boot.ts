import { McpConfigError, startMcp } from '@/lib/mcp';

/**
 * At server start: MCP servers connect now, not on the first run. A configuration Maestro cannot
 * use in full is refused: the message names the file, the server and the field, and the process
 * exits rather than run with part of it.
 */
export function startMcpOrExit(): void {
  try {
    startMcp();
  } catch (error) {
    if (!(error instanceof McpConfigError)) throw error;
    console.error(`[maestro] ${error.message}. Fix the file (or unset MAESTRO_MCP_CONFIG) and start again.`);
    process.exit(1);
  }
}

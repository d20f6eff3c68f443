import { fingerprintTools, type ToolSet } from 'ai';
import { getConfig } from '@/lib/config';
import { configuredApproval, mcpConfigPath, readMcpConfig, type McpServerConfig } from '@/lib/mcp/config';
import { McpConnection } from '@/lib/mcp/connection';
import type { McpProgress } from '@/lib/mcp/transport';
import { getStore } from '@/lib/store';
import type { CatalogEntry, ExternalTools } from '@/lib/tools/catalog';
import { createGuardedFetch } from '@/lib/tools/net/guarded-fetch';

export { McpConfigError } from '@/lib/mcp/config';

/** What an MCP tool's card shows while it runs: the server's last progress notification. */
export type McpToolProgress = { status: 'running'; progress: string; message?: string };

/** The name the model calls a server's tool by: `<server>__<tool>`, in the characters providers accept. */
export function mcpToolName(server: string, tool: string): string {
  return `${server}__${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Whether a tool name is an MCP server's (`<server>__<tool>`); built-in names have no `__`. */
export function isMcpToolName(name: string): boolean {
  return name.includes('__');
}

/** The operator's command that accepts a changed tool definition (README, "Accepting a changed tool"). */
export function acceptCommand(name: string): string {
  return `npm run mcp:accept -- ${name}`;
}

export type McpServersOptions = {
  /** Let URL servers be on private addresses (MAESTRO_MCP_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  connectTimeoutMs?: number;
  /** Delays between reconnection attempts: doubling from `first`, capped at `max`. */
  backoffMs?: { first: number; max: number };
};

/** Calls the tool and yields its progress as it comes (preliminary outputs), then its result. */
async function* callWithProgress(
  connection: McpConnection,
  tool: string,
  input: unknown,
  signal: AbortSignal | undefined,
): AsyncGenerator<unknown> {
  const updates: McpProgress[] = [];
  let wake: (() => void) | undefined;
  let settled = false;
  const call = connection.call(tool, input, signal, (update) => {
    updates.push(update);
    wake?.();
  });
  call
    .then(
      () => undefined,
      () => undefined,
    )
    .finally(() => {
      settled = true;
      wake?.();
    });
  while (!settled || updates.length > 0) {
    const update = updates.shift();
    if (update) {
      const progress = update.total !== undefined ? `${update.progress}/${update.total}` : String(update.progress);
      yield { status: 'running', progress, ...(update.message ? { message: update.message } : {}) } satisfies McpToolProgress;
      continue;
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  yield await call;
}

/**
 * The MCP servers of this process: connected once, shared by every run, with the pins of their
 * tools' definitions. A tool whose definition differs from its pin is offered with approval 'ask'
 * until an operator accepts the change.
 */
export class McpServers {
  readonly connections: McpConnection[];
  /** Tools whose definition differs from their pin, by offered name, with the reason shown. */
  private readonly changed = new Map<string, string>();
  /** Definitions not yet compared with their pins (the database was unavailable), by offered name. */
  private readonly unchecked = new Map<string, string>();

  constructor(servers: McpServerConfig[], options: McpServersOptions) {
    const guardedFetch = createGuardedFetch({ allowPrivate: options.allowPrivate });
    this.connections = servers.map(
      (server) =>
        new McpConnection(server, {
          fetch: guardedFetch,
          connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
          backoffMs: options.backoffMs ?? { first: 1_000, max: 60_000 },
          onTools: async (name, tools) => {
            const offered = Object.fromEntries(Object.entries(tools).map(([tool, definition]) => [mcpToolName(name, tool), definition]));
            await this.checkPins(await fingerprintTools(offered));
          },
        }),
    );
  }

  /**
   * Pins definitions seen for the first time and notes those that differ from their pin. While
   * the pins cannot be read the tools ask, and are compared again at the next use.
   */
  private async checkPins(seen: Record<string, string>): Promise<void> {
    let pinned: Record<string, string>;
    try {
      pinned = await (await getStore()).recordToolDefinitions(seen);
    } catch (error) {
      console.error('[maestro] the pins of MCP tools could not be read or saved:', error);
      for (const [name, fingerprint] of Object.entries(seen)) {
        this.unchecked.set(name, fingerprint);
        this.changed.set(name, 'its pinned definition could not be checked (the database is unavailable)');
      }
      return;
    }
    for (const [name, fingerprint] of Object.entries(seen)) {
      this.unchecked.delete(name);
      if (pinned[name] !== fingerprint)
        this.changed.set(
          name,
          `its definition (description, input schema or title) changed since it was first seen; an operator accepts the change with \`${acceptCommand(name)}\``,
        );
      else this.changed.delete(name);
    }
  }

  /**
   * Compares what could not be compared before, and forgets the changes an operator has accepted
   * since (the store is asked only while some are pending).
   */
  private async refreshChanged(): Promise<void> {
    if (this.unchecked.size > 0) await this.checkPins(Object.fromEntries(this.unchecked));
    if (this.changed.size === this.unchecked.size) return;
    try {
      const stillChanged = new Set(await (await getStore()).listChangedTools());
      for (const name of this.changed.keys()) if (!stillChanged.has(name) && !this.unchecked.has(name)) this.changed.delete(name);
    } catch {
      // Unreadable pins keep the tools asking.
    }
  }

  async tools(): Promise<ExternalTools> {
    await Promise.all(this.connections.map((connection) => connection.firstAttempt));
    await this.refreshChanged();
    const entries: CatalogEntry[] = [];
    const tools: ToolSet = {};
    for (const connection of this.connections) {
      const server = connection.config;
      const status = connection.status;
      for (const [tool, definition] of Object.entries(connection.tools)) {
        const name = mcpToolName(server.name, tool);
        const reason = this.changed.get(name);
        const approval = reason !== undefined && configuredApproval(server, tool) === 'auto' ? 'ask' : configuredApproval(server, tool);
        entries.push({
          name,
          description: typeof definition.description === 'string' ? definition.description : '',
          source: `mcp:${server.name}`,
          approval,
          ...(reason !== undefined ? { approvalReason: `${name} asks before every call: ${reason}.` } : {}),
          available: connection.connected,
          ...(connection.connected ? {} : { error: `The server is ${status.status}${status.error ? `: ${status.error}` : ''}` }),
        });
        if (connection.connected) {
          tools[name] = {
            ...definition,
            execute: (input: unknown, options: { abortSignal?: AbortSignal }) =>
              callWithProgress(connection, tool, input, options.abortSignal),
          } as ToolSet[string];
        }
      }
    }
    return { entries, tools, servers: this.connections.map((connection) => connection.status) };
  }

  async close(): Promise<void> {
    await Promise.all(this.connections.map((connection) => connection.close()));
  }
}

/** Shared by every route bundle of the process (and kept over dev hot reloads), like the store. */
const SERVERS_KEY = Symbol.for('maestro.mcp');
type GlobalWithServers = typeof globalThis & { [SERVERS_KEY]?: McpServers };

/**
 * Reads the configuration and starts connecting to its servers, once per process. A configuration
 * error is thrown (McpConfigError, naming the server and the field): no server runs on half of it.
 */
export function startMcp(): McpServers {
  const g = globalThis as GlobalWithServers;
  if (!g[SERVERS_KEY]) {
    const { mcp } = getConfig();
    g[SERVERS_KEY] = new McpServers(readMcpConfig(mcpConfigPath(mcp.configPath)), { allowPrivate: mcp.allowPrivate });
  }
  return g[SERVERS_KEY];
}

/** The tools of the configured MCP servers, their catalog entries and the servers' status. */
export async function mcpTools(): Promise<ExternalTools> {
  return startMcp().tools();
}

/** Closes every connection (stdio servers exit); the next use connects again (tests, shutdown). */
export async function closeMcp(): Promise<void> {
  const g = globalThis as GlobalWithServers;
  const servers = g[SERVERS_KEY];
  delete g[SERVERS_KEY];
  await servers?.close();
}

import { createMCPClient, type ListToolsResult, type MCPClient } from '@ai-sdk/mcp';
import type { ToolSet } from 'ai';
import type { McpServerConfig } from '@/lib/mcp/config';
import { createTransport, withProgress, type McpProgress, type ObservedTransport } from '@/lib/mcp/transport';
import type { ServerStatus } from '@/lib/tools/catalog';
import { FetchRefusedError } from '@/lib/tools/net/safe-fetch';
import { isConnectionError } from '@/lib/http/network-error';

type ToolDefinition = ListToolsResult['tools'][number];

/** A tool's output while it runs: the server's last progress notification. */
export type ConnectionOptions = {
  /** The `fetch` URL servers go through (the address policy). */
  fetch: typeof fetch;
  /** Longest a connection attempt (spawn or request, handshake, tool list) may take. */
  connectTimeoutMs: number;
  /** Delays between reconnection attempts: doubling from the first, capped at the last. */
  backoffMs: { first: number; max: number };
  /** Told each time the server's tools were listed (on connect, and when it says they changed). */
  onTools: (server: string, tools: ToolSet) => Promise<void>;
};

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/** Text of an MCP result's content, for an error the server reported (`isError`). */
function textOf(result: object): string {
  const content = 'content' in result ? result.content : undefined;
  if (!Array.isArray(content)) return '';
  return content
    .map((item: unknown) => (typeof item === 'object' && item !== null && 'text' in item && typeof item.text === 'string' ? item.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

/**
 * One configured MCP server: connected once per process and reused by every run. A connection that
 * fails or drops is reported (`status`) and tried again with growing delays; meanwhile its tools
 * are left out of runs, and a call that was running fails with a message that says why.
 */
export class McpConnection {
  readonly config: McpServerConfig;
  private readonly options: ConnectionOptions;
  private state: ServerStatus['status'] = 'connecting';
  private lastError: string | undefined;
  private transportUsed: ServerStatus['transport'];
  private client: MCPClient | undefined;
  private transport: ObservedTransport | undefined;
  /** The server's tools by the server's own names, as last listed. */
  private serverTools: ToolSet = {};
  private attempt: Promise<void> | undefined;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** Settles when the first attempt has, so a run made right after start sees the tools. */
  readonly firstAttempt: Promise<void>;

  constructor(config: McpServerConfig, options: ConnectionOptions) {
    this.config = config;
    this.options = options;
    this.transportUsed = config.transport;
    this.firstAttempt = this.connect();
  }

  get status(): ServerStatus {
    return {
      name: this.config.name,
      transport: this.transportUsed,
      status: this.state,
      ...(this.lastError !== undefined ? { error: this.lastError } : {}),
      toolCount: Object.keys(this.serverTools).length,
    };
  }

  /** The server's tools as last listed (kept while it is down, to report them unavailable). */
  get tools(): ToolSet {
    return this.serverTools;
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  /** Connects (or reconnects) now; one attempt at a time. */
  connect(): Promise<void> {
    this.attempt ??= this.tryConnect().finally(() => {
      this.attempt = undefined;
    });
    return this.attempt;
  }

  private async tryConnect(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.state = 'connecting';
    const transports: ServerStatus['transport'][] = this.config.transport === 'http' ? ['http', 'sse'] : [this.config.transport];
    let firstError: unknown;
    for (const transport of transports) {
      try {
        await this.open(transport);
        this.failures = 0;
        this.lastError = undefined;
        this.transportUsed = transport;
        this.state = 'connected';
        return;
      } catch (error) {
        firstError ??= error;
        // A refused address is refused over SSE too; a closed Maestro stops trying.
        if (error instanceof FetchRefusedError || this.closed) break;
      }
    }
    this.fail(
      firstError instanceof FetchRefusedError
        ? `refused by the address policy: ${messageOf(firstError).replace(/^Refused to fetch \S+: /, '')} (MAESTRO_MCP_ALLOW_PRIVATE=true allows a server on a private address)`
        : messageOf(firstError),
    );
  }

  private async open(transport: ServerStatus['transport']): Promise<void> {
    const signal = AbortSignal.timeout(this.options.connectTimeoutMs);
    let client: MCPClient | undefined;
    const observed = createTransport(this.config, transport, {
      fetch: this.options.fetch,
      onClosed: () => this.dropped(client, 'the connection closed'),
      onToolsChanged: () => void this.relist(),
    });
    try {
      client = await createMCPClient({
        transport: observed,
        clientName: 'maestro',
        initializationOptions: { signal },
        // Transport errors after the handshake surface on the call that meets them, or as a close.
        onUncaughtError: () => undefined,
      });
      if (this.closed) throw new Error('closed');
      const tools = await this.listTools(client, signal);
      this.client = client;
      this.transport = observed;
      this.serverTools = tools;
      await this.options.onTools(this.config.name, tools);
    } catch (error) {
      // The connection already failed with `error`, thrown below; closing what is left of it may fail too.
      await client?.close().catch(() => undefined);
      if (signal.aborted) throw new Error(`no answer within ${this.options.connectTimeoutMs} ms`, { cause: error });
      throw error;
    }
  }

  private async listTools(client: MCPClient, signal: AbortSignal): Promise<ToolSet> {
    const definitions: ToolDefinition[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools({ ...(cursor ? { params: { cursor } } : {}), options: { signal } });
      definitions.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return client.toolsFromDefinitions({ tools: definitions }) as ToolSet;
  }

  /** The server said its tools changed: list them again (their pins are checked by `onTools`). */
  private async relist(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      this.serverTools = await this.listTools(client, AbortSignal.timeout(this.options.connectTimeoutMs));
      await this.options.onTools(this.config.name, this.serverTools);
    } catch (error) {
      this.dropped(client, messageOf(error));
    }
  }

  /** The connection of `client` is gone (a crash, a closed stream): report it and reconnect later. */
  private dropped(client: MCPClient | undefined, reason: string): void {
    if (this.closed || client === undefined || client !== this.client) return;
    this.client = undefined;
    // The connection is gone already (reported below): closing what is left of it may fail too.
    void client.close().catch(() => undefined);
    this.fail(reason);
  }

  private fail(reason: string): void {
    this.state = 'failed';
    this.lastError = reason;
    if (this.closed) return;
    const { first, max } = this.options.backoffMs;
    const delay = Math.min(max, first * 2 ** this.failures);
    this.failures += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  /**
   * Calls one of the server's tools, reporting its progress notifications; resolves with the MCP
   * result. Fails with a message naming the server when it is down, drops during the call, or
   * reports an error.
   */
  async call(tool: string, input: unknown, signal: AbortSignal | undefined, onProgress: (update: McpProgress) => void): Promise<unknown> {
    const client = this.client;
    const transport = this.transport;
    if (!client || !transport || !this.connected) {
      throw new Error(
        `The MCP server "${this.config.name}" is not connected${this.lastError ? ` (${this.lastError})` : ''}; try again later.`,
      );
    }
    let result: unknown;
    try {
      const args = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
      result = await withProgress(onProgress, () => client.callTool({ name: tool, arguments: args, options: { signal } }));
    } catch (error) {
      if (signal?.aborted) {
        transport.cancel(onProgress, messageOf(signal.reason));
        throw signal.reason;
      }
      // Over HTTP a dead server shows only as a failed request: report it and reconnect.
      if (this.config.transport !== 'stdio' && isConnectionError(error)) {
        this.dropped(client, messageOf(error));
      }
      const reason =
        this.client === client ? messageOf(error) : `the server disconnected during the call (${this.lastError ?? messageOf(error)})`;
      throw new Error(`${this.config.name}__${tool} failed: ${reason}`, { cause: error });
    }
    if (typeof result === 'object' && result !== null && 'isError' in result && result.isError === true) {
      throw new Error(`${this.config.name}__${tool} reported an error: ${textOf(result) || 'no details'}`);
    }
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.close().catch((error: unknown) => console.error(`[maestro] could not close MCP server ${this.config.name}:`, error));
  }
}

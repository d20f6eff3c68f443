import { AsyncLocalStorage } from 'node:async_hooks';
import type { JSONRPCMessage, MCPTransport } from '@ai-sdk/mcp';
import { StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpServerConfig } from '@/lib/mcp/config';

/** One MCP progress notification of a running tool call. */
export type McpProgress = { progress: number; total?: number; message?: string };

type ProgressListener = (update: McpProgress) => void;

/** The progress listener of the tool call being sent (set around `callTool`, read in `send`). */
const progressScope = new AsyncLocalStorage<ProgressListener>();

/** Runs `call` (a `tools/call`) with `listener` receiving the server's progress notifications for it. */
export function withProgress<T>(listener: ProgressListener, call: () => Promise<T>): Promise<T> {
  return progressScope.run(listener, call);
}

/**
 * The JSON-RPC transport under the client: the AI SDK's stdio transport, or the MCP SDK's Streamable
 * HTTP and SSE ones (which take a custom `fetch`: the address policy). Both carry the same JSON-RPC
 * messages; their TypeScript types differ, hence the one cast where they are made.
 */
type MessageTransport = {
  start(): Promise<void>;
  send(message: JSONRPCMessage): Promise<void>;
  close(): Promise<void>;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  setProtocolVersion?: (version: string) => void;
};

type Events = {
  /** The connection ended (process exited, stream closed) without Maestro closing it. */
  onClosed: () => void;
  /** The server says its tool list changed (`notifications/tools/list_changed`). */
  onToolsChanged: () => void;
};

function isNotification(message: JSONRPCMessage): message is Extract<JSONRPCMessage, { method: string }> {
  return 'method' in message && !('id' in message);
}

function progressOf(params: Record<string, unknown> | undefined): McpProgress | undefined {
  if (typeof params?.progress !== 'number') return undefined;
  return {
    progress: params.progress,
    ...(typeof params.total === 'number' ? { total: params.total } : {}),
    ...(typeof params.message === 'string' ? { message: params.message } : {}),
  };
}

/**
 * Sits under the AI SDK's MCP client, which rejects every server notification: it routes a `tools/call`'s
 * progress to its `withProgress` listener, reports a changed tool list, and drops the rest.
 */
export class ObservedTransport implements MCPTransport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly inner: MessageTransport;
  private readonly listeners = new Map<string, ProgressListener>();
  private readonly tokens = new Map<string | number, string>();
  private closing = false;

  constructor(inner: MessageTransport, events: Events) {
    this.inner = inner;
    inner.onmessage = (message) => this.receive(message, events);
    inner.onerror = (error) => this.onerror?.(error);
    inner.onclose = () => {
      this.onclose?.();
      if (!this.closing) events.onClosed();
    };
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  send(message: JSONRPCMessage): Promise<void> {
    const listener = progressScope.getStore();
    if (listener && 'method' in message && message.method === 'tools/call' && 'id' in message) {
      const token = `maestro-${String(message.id)}`;
      this.listeners.set(token, listener);
      this.tokens.set(message.id, token);
      const params = message.params ?? {};
      return this.inner.send({ ...message, params: { ...params, _meta: { ...params._meta, progressToken: token } } });
    }
    return this.inner.send(message);
  }

  close(): Promise<void> {
    this.closing = true;
    return this.inner.close();
  }

  /** Tells the server to stop the calls made with `listener` (the AI SDK client only stops waiting). */
  cancel(listener: ProgressListener, reason: string): void {
    for (const [id, token] of this.tokens) {
      if (this.listeners.get(token) !== listener) continue;
      this.tokens.delete(id);
      this.listeners.delete(token);
      // Best effort: a transport that cannot send is already broken, and reports that as its close.
      this.inner.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } }).catch(() => undefined);
    }
  }

  private receive(message: JSONRPCMessage, events: Events): void {
    if (isNotification(message)) {
      if (message.method === 'notifications/progress') {
        const token = message.params?.progressToken;
        const update = progressOf(message.params);
        if (typeof token === 'string' && update) this.listeners.get(token)?.(update);
      } else if (message.method === 'notifications/tools/list_changed') {
        events.onToolsChanged();
      }
      return;
    }
    if ('id' in message && message.id !== undefined && !('method' in message)) {
      const token = this.tokens.get(message.id);
      if (token !== undefined) {
        this.tokens.delete(message.id);
        this.listeners.delete(token);
      }
    }
    this.onmessage?.(message);
  }
}

/** The transport for one server: stdio spawns its command; a URL goes through `fetch` (the address policy). */
export function createTransport(
  server: McpServerConfig,
  transport: 'stdio' | 'http' | 'sse',
  options: { fetch: typeof fetch } & Events,
): ObservedTransport {
  let inner: MessageTransport;
  if (server.transport === 'stdio') {
    inner = new StdioMCPTransport({ command: server.command, args: server.args, env: server.env });
  } else {
    const url = new URL(server.url);
    const requestInit = { headers: server.headers };
    inner = (transport === 'sse'
      ? new SSEClientTransport(url, { fetch: options.fetch, requestInit, eventSourceInit: { fetch: options.fetch } })
      : new StreamableHTTPClientTransport(url, { fetch: options.fetch, requestInit })) as unknown as MessageTransport;
  }
  return new ObservedTransport(inner, options);
}

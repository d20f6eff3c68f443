import fs from 'node:fs';
import path from 'node:path';
import type { ToolApproval } from '@/lib/tools/catalog';

/**
 * The MCP servers to connect to, read from the JSON file the MCP ecosystem already uses (Claude
 * Desktop, Cursor): `{ "mcpServers": { "<name>": { "command", "args", "env" } | { "url", "headers" } } }`,
 * with Maestro's `approval` (all of a server's tools) and `tools` (one tool each) beside them.
 */

type ServerCommon = {
  name: string;
  /** The policy of the server's tools that `tools` does not name. */
  approval: ToolApproval;
  /** Policies of single tools, by the server's own tool name. */
  tools: Record<string, ToolApproval>;
};

export type StdioServerConfig = ServerCommon & {
  transport: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
};

export type UrlServerConfig = ServerCommon & {
  /** 'http' (Streamable HTTP, falling back to SSE when the server only speaks that) or 'sse'. */
  transport: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
};

export type McpServerConfig = StdioServerConfig | UrlServerConfig;

/** A configuration file Maestro refuses: the message names the file, the server and the field. */
export class McpConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpConfigError';
  }
}

const APPROVALS: readonly ToolApproval[] = ['auto', 'ask', 'deny'];
/** Server names become the prefix of tool names, which providers limit to letters, digits, `_` and `-`. */
const SERVER_NAME = /^[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*$/;
const SERVER_FIELDS = new Set(['command', 'args', 'env', 'url', 'headers', 'type', 'transport', 'approval', 'tools', 'cwd', 'disabled']);

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: Json, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new McpConfigError(`${where} must be an object of strings`);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw new McpConfigError(`${where}.${key} must be a string`);
  }
  return value as Record<string, string>;
}

function approvalOf(value: Json, where: string, fallback: ToolApproval): ToolApproval {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !APPROVALS.includes(value as ToolApproval)) {
    throw new McpConfigError(`${where} must be "auto", "ask" or "deny"`);
  }
  return value as ToolApproval;
}

function transportOf(value: Json, where: string, hasUrl: boolean): McpServerConfig['transport'] {
  if (value === undefined) return hasUrl ? 'http' : 'stdio';
  const known: Record<string, McpServerConfig['transport']> = {
    stdio: 'stdio',
    http: 'http',
    'streamable-http': 'http',
    streamableHttp: 'http',
    sse: 'sse',
  };
  const transport = typeof value === 'string' ? known[value] : undefined;
  if (!transport) throw new McpConfigError(`${where} must be "stdio", "http" (or "streamable-http") or "sse"`);
  if ((transport === 'stdio') === hasUrl)
    throw new McpConfigError(`${where} is "${String(value)}", which does not fit ${hasUrl ? '"url"' : '"command"'}`);
  return transport;
}

function parseServer(name: string, raw: Json): McpServerConfig | undefined {
  const at = `mcpServers.${name}`;
  if (!SERVER_NAME.test(name) || name.length > 32) {
    throw new McpConfigError(`${at}: the server name must be 1–32 letters, digits, "-" or single "_" (it prefixes its tools' names)`);
  }
  if (!isObject(raw)) throw new McpConfigError(`${at} must be an object`);
  const unknown = Object.keys(raw).find((key) => !SERVER_FIELDS.has(key));
  if (unknown) throw new McpConfigError(`${at}.${unknown} is not a known field (command, args, env, url, headers, approval, tools)`);
  if (raw.disabled === true) return undefined;
  const hasCommand = raw.command !== undefined;
  const hasUrl = raw.url !== undefined;
  if (hasCommand === hasUrl) throw new McpConfigError(`${at} needs exactly one of "command" (stdio) or "url" (HTTP)`);
  const transport = transportOf(raw.type ?? raw.transport, `${at}.${raw.type !== undefined ? 'type' : 'transport'}`, hasUrl);
  const approval = approvalOf(raw.approval, `${at}.approval`, 'ask');
  if (raw.tools !== undefined && !isObject(raw.tools))
    throw new McpConfigError(`${at}.tools must be an object of tool name to "auto", "ask" or "deny"`);
  const tools = Object.fromEntries(
    Object.entries(raw.tools ?? {}).map(([tool, value]) => [tool, approvalOf(value, `${at}.tools.${tool}`, approval)]),
  );
  const common = { name, approval, tools };
  if (transport === 'stdio') {
    if (typeof raw.command !== 'string' || raw.command.trim() === '') throw new McpConfigError(`${at}.command must be a non-empty string`);
    if (raw.args !== undefined && (!Array.isArray(raw.args) || raw.args.some((arg) => typeof arg !== 'string'))) {
      throw new McpConfigError(`${at}.args must be an array of strings`);
    }
    return {
      ...common,
      transport,
      command: raw.command,
      args: (raw.args as string[] | undefined) ?? [],
      env: stringMap(raw.env, `${at}.env`),
    };
  }
  if (raw.args !== undefined || raw.env !== undefined)
    throw new McpConfigError(`${at}: "args" and "env" belong to a "command" server, not a "url" one`);
  if (typeof raw.url !== 'string') throw new McpConfigError(`${at}.url must be a string`);
  let url: URL;
  try {
    url = new URL(raw.url);
  } catch {
    throw new McpConfigError(`${at}.url is not a valid absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new McpConfigError(`${at}.url must be http or https, not ${url.protocol}`);
  return { ...common, transport, url: url.href, headers: stringMap(raw.headers, `${at}.headers`) };
}

/** The servers of a parsed `mcpServers` document; throws McpConfigError naming the server and field. */
export function parseMcpConfig(document: Json): McpServerConfig[] {
  if (!isObject(document) || !isObject(document.mcpServers))
    throw new McpConfigError('the file must be a JSON object with an "mcpServers" object');
  return Object.entries(document.mcpServers).flatMap(([name, raw]) => parseServer(name, raw) ?? []);
}

/** Which file holds the servers: `MAESTRO_MCP_CONFIG`, else `./mcp.json` when it exists, else none. */
export function mcpConfigPath(configured: string | undefined, cwd = process.cwd()): string | undefined {
  if (configured) return path.resolve(cwd, configured);
  const local = path.join(cwd, 'mcp.json');
  return fs.existsSync(local) ? local : undefined;
}

/** The servers configured in `file` (none without a file); every problem is an McpConfigError naming the file. */
export function readMcpConfig(file: string | undefined): McpServerConfig[] {
  if (file === undefined) return [];
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new McpConfigError(`MCP configuration ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let document: Json;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new McpConfigError(`MCP configuration ${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseMcpConfig(document);
  } catch (error) {
    if (error instanceof McpConfigError) throw new McpConfigError(`MCP configuration ${file}: ${error.message}`);
    throw error;
  }
}

/** The configured policy of one of a server's tools: its `tools` entry, else the server's `approval`. */
export function configuredApproval(server: McpServerConfig, tool: string): ToolApproval {
  return Object.hasOwn(server.tools, tool) ? (server.tools[tool] as ToolApproval) : server.approval;
}

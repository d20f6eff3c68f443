import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredApproval, mcpConfigPath, McpConfigError, parseMcpConfig, readMcpConfig } from '@/lib/mcp/config';

describe('parseMcpConfig', () => {
  it('reads stdio and URL servers in the ecosystem’s format, with Maestro’s policies', () => {
    const servers = parseMcpConfig({
      mcpServers: {
        files: {
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-filesystem', '/data'],
          env: { DEBUG: '1' },
          approval: 'auto',
          tools: { write_file: 'ask' },
        },
        remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer x' } },
        old: { url: 'https://old.example.com/sse', type: 'sse', approval: 'deny' },
        off: { command: 'x', disabled: true },
      },
    });
    expect(servers).toEqual([
      {
        name: 'files',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/data'],
        env: { DEBUG: '1' },
        approval: 'auto',
        tools: { write_file: 'ask' },
      },
      {
        name: 'remote',
        transport: 'http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer x' },
        approval: 'ask',
        tools: {},
      },
      { name: 'old', transport: 'sse', url: 'https://old.example.com/sse', headers: {}, approval: 'deny', tools: {} },
    ]);
    expect(configuredApproval(servers[0]!, 'write_file')).toBe('ask');
    expect(configuredApproval(servers[0]!, 'read_file')).toBe('auto');
    expect(configuredApproval(servers[1]!, 'anything')).toBe('ask');
  });

  it.each([
    [{ mcpServers: { a: { command: 'x', url: 'https://x.dev' } } }, 'mcpServers.a needs exactly one of "command" (stdio) or "url" (HTTP)'],
    [{ mcpServers: { a: {} } }, 'mcpServers.a needs exactly one of "command" (stdio) or "url" (HTTP)'],
    [{ mcpServers: { a: { command: 'x', approval: 'sometimes' } } }, 'mcpServers.a.approval must be "auto", "ask" or "deny"'],
    [{ mcpServers: { a: { command: 'x', tools: { echo: 'yes' } } } }, 'mcpServers.a.tools.echo must be "auto", "ask" or "deny"'],
    [{ mcpServers: { a: { command: 'x', args: 'one' } } }, 'mcpServers.a.args must be an array of strings'],
    [{ mcpServers: { a: { command: 'x', env: { N: 1 } } } }, 'mcpServers.a.env.N must be a string'],
    [{ mcpServers: { a: { url: 'ftp://x.dev' } } }, 'mcpServers.a.url must be http or https, not ftp:'],
    [{ mcpServers: { a: { url: 'not a url' } } }, 'mcpServers.a.url is not a valid absolute URL'],
    [{ mcpServers: { a: { url: 'https://x.dev', headers: { A: 1 } } } }, 'mcpServers.a.headers.A must be a string'],
    [{ mcpServers: { a: { url: 'https://x.dev', type: 'stdio' } } }, 'mcpServers.a.type is "stdio", which does not fit "url"'],
    [{ mcpServers: { a: { command: 'x', comand: 'y' } } }, 'mcpServers.a.comand is not a known field'],
    [{ mcpServers: { 'a b': { command: 'x' } } }, 'mcpServers.a b: the server name must be'],
    [{ mcpServers: { a__b: { command: 'x' } } }, 'mcpServers.a__b: the server name must be'],
    [{ servers: {} }, 'the file must be a JSON object with an "mcpServers" object'],
  ])('refuses %j, naming the server and the field', (document, message) => {
    expect(() => parseMcpConfig(document)).toThrow(McpConfigError);
    expect(() => parseMcpConfig(document)).toThrow(message);
  });
});

describe('the configuration file', () => {
  it('is MAESTRO_MCP_CONFIG, else ./mcp.json when it exists, else none', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'maestro-mcp-config-'));
    expect(mcpConfigPath(undefined, folder)).toBeUndefined();
    expect(mcpConfigPath('custom.json', folder)).toBe(path.join(folder, 'custom.json'));
    writeFileSync(path.join(folder, 'mcp.json'), '{"mcpServers":{}}');
    expect(mcpConfigPath(undefined, folder)).toBe(path.join(folder, 'mcp.json'));
    expect(readMcpConfig(undefined)).toEqual([]);
  });

  it('names the file in every error: unreadable, not JSON, or a bad field', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'maestro-mcp-config-'));
    const file = path.join(folder, 'mcp.json');
    expect(() => readMcpConfig(file)).toThrow(`MCP configuration ${file} cannot be read: ENOENT`);
    writeFileSync(file, '{"mcpServers": {');
    expect(() => readMcpConfig(file)).toThrow(`MCP configuration ${file} is not valid JSON`);
    writeFileSync(file, JSON.stringify({ mcpServers: { good: { command: 'x' }, bad: { url: 'https://x.dev', args: [] } } }));
    expect(() => readMcpConfig(file)).toThrow(`MCP configuration ${file}: mcpServers.bad: "args" and "env" belong to a "command" server`);
  });
});

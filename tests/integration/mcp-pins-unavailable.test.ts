import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Nothing listens on port 1: the database that holds the pins cannot be reached.
process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:1/test';
process.env.MAESTRO_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'maestro-mcp-pins-'));

const { McpServers } = await import('@/lib/mcp');

const folder = mkdtempSync(path.join(os.tmpdir(), 'maestro-mcp-pins-'));
const descriptionFile = path.join(folder, 'description.txt');
writeFileSync(descriptionFile, 'Greets a person by name.');
const servers = new McpServers(
  [
    {
      name: 'changing',
      transport: 'stdio',
      command: process.execPath,
      args: [path.resolve(import.meta.dirname, '../fixtures/mcp/changing-server.mjs')],
      env: { FIXTURE_DESCRIPTION_FILE: descriptionFile, FIXTURE_CANCEL_FILE: path.join(folder, 'cancelled.txt') },
      approval: 'auto',
      tools: { crash: 'deny' },
    },
  ],
  { allowPrivate: false },
);
afterAll(() => servers.close());

describe('MCP tool pins while the database is unavailable', () => {
  it('tools whose pins cannot be checked ask before every call (a denied one stays denied), and say why', async () => {
    const { entries, servers: status } = await servers.tools();
    expect(status[0]).toMatchObject({ status: 'connected' });
    expect(entries.find((entry) => entry.name === 'changing__greet')).toMatchObject({
      approval: 'ask',
      approvalReason: expect.stringContaining('could not be checked (the database is unavailable)'),
      available: true,
    });
    expect(entries.find((entry) => entry.name === 'changing__crash')?.approval).toBe('deny');
    // Still unreadable at the next use: still asking.
    expect((await servers.tools()).entries.find((entry) => entry.name === 'changing__greet')?.approval).toBe('ask');
  });
});

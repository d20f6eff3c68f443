import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChunks, textOfChunks, type Chunk } from '@/tests/helpers/sse';
import { jsonRequest, params, plainRequest, userMessage } from '@/tests/helpers/requests';
import { loadRoutes, type Routes } from '@/tests/helpers/routes';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'maestro-mcp-route-'));
const everythingBin = path.resolve(import.meta.dirname, '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const configFile = path.join(dataDir, 'mcp.json');
writeFileSync(
  configFile,
  JSON.stringify({
    mcpServers: {
      everything: { command: process.execPath, args: [everythingBin, 'stdio'], approval: 'auto', tools: { 'get-env': 'deny' } },
      // Nothing listens on port 9: the server is reported failed and its tools left out.
      down: { url: 'http://127.0.0.1:9/mcp' },
    },
  }),
);
process.env.MAESTRO_DATA_DIR = dataDir;
process.env.MAESTRO_MCP_CONFIG = configFile;
process.env.MAESTRO_MCP_ALLOW_PRIVATE = 'true';
// Overrides apply to built-in and MCP tools alike, in the catalog as in a run.
process.env.MAESTRO_TOOL_APPROVAL = '{"everything__get-tiny-image":"ask","current_time":"deny"}';

let routes: Routes;
let toolsRoute: typeof import('@/app/api/tools/route');
beforeAll(async () => {
  routes = await loadRoutes();
  toolsRoute = await import('@/app/api/tools/route');
});
afterAll(async () => {
  await (await import('@/lib/mcp')).closeMcp();
});

async function send(chatId: string, text: string): Promise<Chunk[]> {
  const response = await routes.messages.POST(jsonRequest(`/api/chats/${chatId}/messages`, userMessage(text)), params({ id: chatId }));
  expect(response.status).toBe(200);
  const { chunks, done } = parseChunks(await response.text());
  expect(done).toBe(true);
  return chunks;
}

describe('MCP tools in a run (offline model, messages route)', () => {
  it('GET /api/tools lists built-in and MCP tools, and a connected and a failed server', async () => {
    const response = await toolsRoute.GET();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { tools: Array<Record<string, unknown>>; servers: Array<Record<string, unknown>> };
    expect(body.tools.find((tool) => tool.name === 'calculator')).toMatchObject({ source: 'builtin', approval: 'auto', available: true });
    expect(body.tools.find((tool) => tool.name === 'fetch_url')).toMatchObject({ source: 'builtin', approval: 'ask', available: false });
    expect(body.tools.find((tool) => tool.name === 'everything__echo')).toEqual({
      name: 'everything__echo',
      description: 'Echoes back the input string',
      source: 'mcp:everything',
      approval: 'auto',
      available: true,
    });
    expect(body.tools.find((tool) => tool.name === 'everything__get-env')).toMatchObject({ approval: 'deny' });
    expect(body.tools.find((tool) => tool.name === 'write_file')).toMatchObject({ source: 'builtin', approval: 'ask', available: true });
    expect(body.tools.find((tool) => tool.name === 'current_time')).toMatchObject({ approval: 'deny' });
    expect(body.tools.find((tool) => tool.name === 'everything__get-tiny-image')).toMatchObject({ approval: 'ask' });
    expect(body.servers).toEqual([
      { name: 'everything', transport: 'stdio', status: 'connected', toolCount: expect.any(Number) },
      { name: 'down', transport: 'http', status: 'failed', error: expect.stringMatching(/fetch failed|ECONNREFUSED/), toolCount: 0 },
    ]);
  });

  it('a message that names an MCP tool and its JSON input calls it, as a dynamic tool, and answers from its result', async () => {
    const chunks = await send('mcp-echo', 'Use everything__echo with {"message":"hi from MCP"}');
    const start = chunks.find((chunk) => chunk.type === 'tool-input-start');
    expect(start).toMatchObject({ toolName: 'everything__echo', dynamic: true });
    const status = chunks.find((chunk) => chunk.type === 'data-status' && (chunk.data as { phase: string }).phase === 'tool');
    expect((status?.data as { label: string }).label).toBe('Using tool: everything__echo…');
    expect(chunks.find((chunk) => chunk.type === 'tool-input-available')).toMatchObject({ input: { message: 'hi from MCP' } });
    expect(JSON.stringify(chunks.find((chunk) => chunk.type === 'tool-output-available'))).toContain('Echo: hi from MCP');
    const text = textOfChunks(chunks);
    expect(text).toContain('Echo: hi from MCP');

    const saved = await routes.chat.GET(plainRequest('/api/chats/mcp-echo'), params({ id: 'mcp-echo' }));
    const { messages } = (await saved.json()) as { messages: Array<{ parts: Array<Record<string, unknown>> }> };
    expect(messages[1]?.parts.find((part) => part.type === 'dynamic-tool')).toMatchObject({
      toolName: 'everything__echo',
      state: 'output-available',
    });

    const transcript = await routes.exportChat.GET(plainRequest('/api/chats/mcp-echo/export'), params({ id: 'mcp-echo' }));
    expect(await transcript.text()).toContain('**Tool call: `everything__echo`**');
  });

  it('streams the progress of a long MCP call as preliminary outputs before its result', async () => {
    const chunks = await send('mcp-progress', 'Use everything__trigger-long-running-operation with {"duration":0.3,"steps":3}');
    const outputs = chunks.filter((chunk) => chunk.type === 'tool-output-available');
    // Every output the tool yields goes out as preliminary; the last one again as the result.
    expect(
      outputs
        .filter((chunk) => chunk.preliminary === true)
        .map((chunk) => chunk.output)
        .slice(0, 3),
    ).toEqual([
      { status: 'running', progress: '1/3' },
      { status: 'running', progress: '2/3' },
      { status: 'running', progress: '3/3' },
    ]);
    expect(JSON.stringify(outputs.at(-1))).toContain('Long running operation completed');
    expect(outputs.at(-1)?.preliminary).toBeUndefined();
  });

  it('a tool error from the server fails on its card with the server’s message, and the run goes on', async () => {
    const chunks = await send('mcp-error', 'Use everything__get-sum with {"a":"not a number","b":2}');
    const error = chunks.find((chunk) => chunk.type === 'tool-output-error');
    expect(error?.errorText).toMatch(/everything__get-sum/);
    expect(chunks.at(-1)?.type).toBe('finish');
  });

  it('a tool set to deny by MAESTRO_TOOL_APPROVAL is refused in the run, with the reason the model reads', async () => {
    const chunks = await send('mcp-deny-override', 'What time is it in Tokyo?');
    expect(chunks.some((c) => c.type === 'tool-output-denied')).toBe(true);
    const text = textOfChunks(chunks);
    expect(text).toContain('I did not run the `current_time` tool');
    expect(text).toContain('MAESTRO_TOOL_APPROVAL');
  });
});

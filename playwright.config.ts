import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3100);

// One fresh data folder per run. The config is also loaded by the worker processes: they inherit
// the variable, so the folder is made once.
const dataDir = (process.env.MAESTRO_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'maestro-e2e-')));
// A copy of the sample workspace, so that files the tests write never land in the repository.
const workspaceDir = (process.env.MAESTRO_E2E_WORKSPACE_DIR ??= (() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'maestro-e2e-workspace-'));
  cpSync('workspace', dir, { recursive: true });
  return dir;
})());

// MCP servers: server-everything over stdio (connected; its get-sum asks before it runs), and a URL
// server on a loopback address, which the address policy refuses (failed).
const mcpConfig = path.join(dataDir, 'mcp.json');
writeFileSync(
  mcpConfig,
  JSON.stringify({
    mcpServers: {
      everything: {
        command: process.execPath,
        args: [path.resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
        approval: 'auto',
        tools: { 'get-sum': 'ask' },
      },
      intranet: { url: 'http://127.0.0.1:9/mcp' },
    },
  }),
);

/** End-to-end tests against a production build (`npm run build` first) in a real Chromium. */
export default defineConfig({
  testDir: './tests/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        },
      },
    },
  ],
  webServer: {
    command: `npx next start -p ${PORT} -H 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/api/models`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      MAESTRO_DATA_DIR: dataDir,
      MAESTRO_WORKSPACE_DIR: workspaceDir,
      MAESTRO_OFFLINE_DELAY_MS: '25',
      // A real provider whose connection fails (nothing listens on port 9): the error path.
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_COMPATIBLE_MODEL: 'unreachable',
      MAESTRO_RATE_LIMIT_PER_MINUTE: '0',
      MAESTRO_MCP_CONFIG: mcpConfig,
    },
  },
});

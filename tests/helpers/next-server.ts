import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sleep } from '@/tests/helpers/sleep';

/** A `next start` of the production build, with what it printed. */
export type NextServer = { url: string; process: ChildProcess; output: string[] };

/** Starts the production build on `port` with `env`; `detached` gives it a process group of its own (to kill it whole). */
export function startNextServer(port: number, env: Record<string, string>, { detached = false } = {}): NextServer {
  const child = spawn(path.join('node_modules', '.bin', 'next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  const server: NextServer = { url: `http://127.0.0.1:${port}`, process: child, output: [] };
  child.stdout?.on('data', (data: Buffer) => server.output.push(data.toString()));
  child.stderr?.on('data', (data: Buffer) => server.output.push(data.toString()));
  return server;
}

/** Resolves once the server answers `GET /api/models`; fails with what it printed after 30 s. */
export async function untilReady(server: NextServer): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${server.url}/api/models`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`the server at ${server.url} did not start:\n${server.output.join('')}`);
}

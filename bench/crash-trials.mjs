// `node bench/crash-trials.mjs [trials] [port]` (after `npm run build`): what a crash keeps. Each
// trial asks Maestro (`next start`, the embedded default, offline model at its usual pace) for a
// long answer, kills the server's process group with SIGKILL at a random moment while the answer
// streams, starts it again on the same data folder, and compares the answer saved as Interrupted
// with the words the client had received before the kill. Prints one line per trial and a summary;
// exits 1 if any saved answer differs from what was streamed (beyond being shorter or longer).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chatPath, DONE_DATA, parseSseBody } from '../lib/wire/index.ts';
import { BENCH_AUTH_SECRET, signedIdentityCookie, waitUntilUp } from './lib/server.mjs';
import { sleep } from './lib/stats.mjs';

const trials = Number(process.argv[2] ?? 20);
const port = Number(process.argv[3] ?? 3542);
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'maestro-crash-trials-'));
const cookie = signedIdentityCookie();
const QUESTION = 'Explain how Maestro streams answers.';

function start() {
  // Its own process group, so that the kill reaches `next` and whatever it started, and nothing else.
  const child = spawn(path.join('node_modules', '.bin', 'next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      MAESTRO_DATA_DIR: dataDir,
      MAESTRO_RATE_LIMIT_PER_MINUTE: '0',
      AUTH_SECRET: BENCH_AUTH_SECRET,
      DATABASE_URL: '',
      REDIS_URL: '',
      MAESTRO_RUN_LOG: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = [];
  child.stdout.on('data', (data) => output.push(data.toString()));
  child.stderr.on('data', (data) => output.push(data.toString()));
  return { child, output };
}

async function killGroup(server) {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  process.kill(-server.child.pid, 'SIGKILL');
  await exited;
}

const words = (text) => text.split(/\s+/).filter(Boolean);

/** The text deltas of the complete SSE frames in `body`. */
function streamedText(body) {
  let text = '';
  for (const { data } of parseSseBody(body)) {
    if (!data || data === DONE_DATA) continue;
    const chunk = JSON.parse(data);
    if (chunk.type === 'text-delta') text += chunk.delta;
  }
  return text;
}

async function trial(n, server) {
  const chatId = `crash-${n}-${Date.now().toString(36)}`;
  const response = await fetch(`${base}${chatPath(chatId)}/messages`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ message: { role: 'user', parts: [{ type: 'text', text: QUESTION }] } }),
  });
  if (response.status !== 200) throw new Error(`trial ${n}: the message got ${response.status}`);
  const killAfterMs = 300 + Math.random() * 4_700;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let body = '';
  const deadline = performance.now() + killAfterMs;
  const kill = sleep(killAfterMs).then(() => 'kill');
  while (performance.now() < deadline) {
    const next = await Promise.race([reader.read(), kill]);
    if (next === 'kill' || next.done) break;
    body += decoder.decode(next.value, { stream: true });
  }
  await killGroup(server);
  await reader.cancel().catch(() => undefined);
  const streamed = streamedText(body);

  const restarted = start();
  await waitUntilUp(base, restarted.child, restarted.output);
  const view = await (await fetch(`${base}${chatPath(chatId)}`, { headers: { cookie } })).json();
  const answer = view.messages.find((message) => message.role === 'assistant');
  const saved = (answer?.parts ?? [])
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');
  const row = {
    trial: n,
    killAfterMs: Math.round(killAfterMs),
    streamedWords: words(streamed).length,
    savedWords: words(saved).length,
    outcome: answer?.metadata?.outcome ?? 'no answer',
    // One of the two texts starts the other: nothing saved differs from what was streamed.
    consistent: saved.startsWith(streamed) || streamed.startsWith(saved),
  };
  return { row, server: restarted };
}

let server = start();
const rows = [];
try {
  await waitUntilUp(base, server.child, server.output);
  for (let n = 1; n <= trials; n++) {
    const result = await trial(n, server);
    server = result.server;
    rows.push(result.row);
    const { row } = result;
    console.log(
      `trial ${String(n).padStart(2)}: killed after ${row.killAfterMs} ms; streamed ${row.streamedWords} words, saved ${row.savedWords} (${row.outcome}${row.consistent ? '' : ', DIFFERS from the stream'})`,
    );
  }
} finally {
  if (server.child.exitCode === null && server.child.signalCode === null) await killGroup(server);
  rmSync(dataDir, { recursive: true, force: true });
}

const streamedTotal = rows.reduce((sum, row) => sum + row.streamedWords, 0);
const savedTotal = rows.reduce((sum, row) => sum + row.savedWords, 0);
const lost = rows.map((row) => Math.max(0, row.streamedWords - row.savedWords));
const bad = rows.filter((row) => !row.consistent || row.outcome !== 'interrupted');
console.log(
  `\n${rows.length} trials: ${streamedTotal} words streamed before the kills, ${savedTotal} saved; words streamed but not saved: at most ${Math.max(...lost)} in a trial, ${lost.reduce((a, b) => a + b, 0)} in all; every saved answer agrees with its stream and is marked interrupted: ${bad.length === 0 ? 'yes' : `no (${bad.length})`}`,
);
if (bad.length > 0) process.exit(1);

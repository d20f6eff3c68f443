// What one open stream, and one finished answer, holds in Maestro's heap: heap snapshots of the
// production build at 0 open streams, at `--streams` open streams (answers from the network
// provider, paced so that they stay open), and after they have all ended, compared by what holds
// the bytes (constructor or kind).
// Usage: node bench/heap.mjs [--streams=200] [--backend=embedded|embedded-memory|scaled] [--tokens=400] [--target=maestro|bare]
// (`bare`: the bare AI SDK loop, bench/baselines/sdk-loop-server.mjs, the floor.) `--keep=<dir>` keeps the
// snapshots there, to open in Chrome's DevTools. Writes bench/results/heap-<backend>.json (heap-bare.json for the bare loop). Needs `npm run build` first.
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { messageBody } from './lib/sse.mjs';
import { processTree, usage } from './lib/process.mjs';
import { writeResult } from './lib/results.mjs';
import { signedIdentityCookie, startBaseline, startMaestro } from './lib/server.mjs';
import { sleep } from './lib/stats.mjs';
import { readTokens } from './lib/tokens.mjs';
import { maestroEnv, startProvider } from './server/network.mjs';
import { chatPath } from '../lib/wire/index.ts';
import { newChatId } from './server/targets.mjs';

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '200' },
    backend: { type: 'string', default: 'embedded' },
    tokens: { type: 'string', default: '400' },
    target: { type: 'string', default: 'maestro' },
    keep: { type: 'string' },
  },
});
const streams = Number(values.streams);
const tokens = Number(values.tokens);
const TOKENS_PER_SECOND = 40;
/** How long a heap snapshot may take to be written. */
const SNAPSHOT_TIMEOUT_MS = 180_000;
const [maestroPort = 3700] = (process.env.BENCH_PORTS ?? '').split(',').filter(Boolean).map(Number);

/**
 * Bytes held, by what holds them: an object by its constructor, a closure by its function's name,
 * and an array, a context or a string by what refers to it (its first retainer and the edge's name).
 */
function heapByHolder(file) {
  const { snapshot, nodes, edges, strings } = JSON.parse(readFileSync(file, 'utf8'));
  const nodeFields = snapshot.meta.node_fields;
  const edgeFields = snapshot.meta.edge_fields;
  const nodeTypes = snapshot.meta.node_types[0];
  const edgeTypes = snapshot.meta.edge_types[0];
  const width = nodeFields.length;
  const edgeWidth = edgeFields.length;
  const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map((field) => nodeFields.indexOf(field));
  const [edgeTypeAt, edgeNameAt, edgeToAt] = ['type', 'name_or_index', 'to_node'].map((field) => edgeFields.indexOf(field));
  const nameOf = (node) => {
    const type = nodeTypes[nodes[node + typeAt]];
    if (type === 'object' || type === 'native') return strings[nodes[node + nameAt]];
    if (type === 'closure') return `(closure ${strings[nodes[node + nameAt]] || 'anonymous'})`;
    return `(${type})`;
  };
  // The first strong retainer of every node.
  const retainer = new Int32Array(nodes.length / width).fill(-1);
  const retainerEdge = new Array(nodes.length / width);
  for (let node = 0, edge = 0; node < nodes.length; node += width) {
    const count = nodes[node + edgeCountAt];
    for (let i = 0; i < count; i++, edge += edgeWidth) {
      const edgeType = edgeTypes[edges[edge + edgeTypeAt]];
      if (edgeType === 'weak' || edgeType === 'shortcut') continue;
      const to = edges[edge + edgeToAt] / width;
      if (retainer[to] !== -1) continue;
      retainer[to] = node;
      retainerEdge[to] =
        edgeType === 'element' || edgeType === 'hidden'
          ? `[${edgeType}]`
          : String(strings[edges[edge + edgeNameAt]] ?? edges[edge + edgeNameAt]);
    }
  }
  const held = new Map();
  let total = 0;
  for (let node = 0; node < nodes.length; node += width) {
    const type = nodeTypes[nodes[node + typeAt]];
    const size = nodes[node + sizeAt];
    let holder = nameOf(node);
    const by = retainer[node / width];
    if (
      (type === 'array' || type === 'hidden' || type === 'string' || type === 'concatenated string' || holder === 'system / Context') &&
      by !== -1
    ) {
      holder = `${holder} ← ${nameOf(by)}.${retainerEdge[node / width]}`;
    }
    held.set(holder, (held.get(holder) ?? 0) + size);
    total += size;
  }
  return { total, held };
}

/** Writes a heap snapshot of every Node process of the server (SIGUSR2) and returns the largest one's file. */
async function snapshot(pid, dir) {
  const before = new Set(readdirSync(dir));
  const pids = processTree(pid);
  for (const id of pids) {
    try {
      process.kill(id, 'SIGUSR2');
    } catch {
      // gone
    }
  }
  // A snapshot is complete when its file stops growing and ends its JSON (V8 writes it after a long pause).
  let files = [];
  const deadline = performance.now() + SNAPSHOT_TIMEOUT_MS;
  for (let sizes = ''; ;) {
    if (performance.now() > deadline) throw new Error(`no complete heap snapshot in ${dir} after ${SNAPSHOT_TIMEOUT_MS / 1000} s`);
    await sleep(1_000);
    files = readdirSync(dir).filter((file) => file.endsWith('.heapsnapshot') && !before.has(file));
    const now = files.map((file) => statSync(path.join(dir, file)).size).join(',');
    const whole = files.length === pids.length && files.every((file) => endsJson(path.join(dir, file)));
    if (whole && now === sizes) break;
    sizes = now;
  }
  const largest = files.map((file) => path.join(dir, file)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
  return largest;
}

/** Whether the file's last bytes close its JSON (read without loading a snapshot of hundreds of MB). */
function endsJson(file) {
  const size = statSync(file).size;
  if (size === 0) return false;
  const tail = Buffer.alloc(Math.min(16, size));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, tail, 0, tail.length, size - tail.length);
  } finally {
    closeSync(fd);
  }
  return tail.toString('utf8').trimEnd().endsWith('}');
}

/** Per stream: what grew between two snapshots, the largest holders first. */
function perStream(from, to, count) {
  const rows = [];
  for (const holder of new Set([...from.held.keys(), ...to.held.keys()])) {
    const grew = (to.held.get(holder) ?? 0) - (from.held.get(holder) ?? 0);
    rows.push({ holder, bytesPerStream: Math.round(grew / count) });
  }
  rows.sort((a, b) => b.bytesPerStream - a.bytesPerStream);
  return { totalKBPerStream: Math.round((to.total - from.total) / count / 1024), top: rows.slice(0, 40) };
}

const dir = values.keep ? path.resolve(values.keep) : mkdtempSync(path.join(tmpdir(), 'maestro-heap-'));
mkdirSync(dir, { recursive: true });
const provider = await startProvider(3792, { tokens, tokensPerSecond: TOKENS_PER_SECOND, firstTokenMs: 300 });
const snapshotOptions = `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`;
const server =
  values.target === 'bare'
    ? await startBaseline('sdk-loop', maestroPort, [provider.baseUrl], { NODE_OPTIONS: snapshotOptions })
    : await startMaestro({
        port: maestroPort,
        backend: values.backend,
        env: { ...maestroEnv(provider), MAESTRO_FRAME_TIMES: 'false', NODE_OPTIONS: snapshotOptions },
      });
const cookie = signedIdentityCookie();
const ask = () =>
  readTokens(`${server.url}${chatPath(newChatId('heap'))}/messages`, {
    body: messageBody('Explain how Maestro streams answers.'),
    headers: { cookie },
  });
try {
  // Warm: the paths compiled, the provider made, the store's statements prepared.
  await Promise.all(Array.from({ length: 10 }, ask));
  const idleFile = await snapshot(server.pid, dir);
  const idle = { ...heapByHolder(idleFile), rssBytes: usage(server.pid).rssBytes };
  if (!values.keep) rmSync(idleFile);
  // `streams` answers at once, each open for tokens / 40 s; the snapshot is taken while all of them stream.
  const answers = Array.from({ length: streams }, ask);
  await sleep(Math.min(10_000, ((tokens / TOKENS_PER_SECOND) * 1000) / 3));
  const openFile = await snapshot(server.pid, dir);
  const open = { ...heapByHolder(openFile), rssBytes: usage(server.pid).rssBytes };
  if (!values.keep) rmSync(openFile);
  const results = await Promise.all(answers);
  const incomplete = results.filter((result) => !result.done).length;
  await sleep(2_000);
  const endedFile = await snapshot(server.pid, dir);
  const ended = { ...heapByHolder(endedFile), rssBytes: usage(server.pid).rssBytes };
  if (!values.keep) rmSync(endedFile);
  const result = {
    target: values.target === 'bare' ? 'bare AI SDK loop' : `maestro (${values.backend})`,
    streams,
    tokens,
    incomplete,
    heapMB: { idle: Math.round(idle.total / 2 ** 20), open: Math.round(open.total / 2 ** 20), ended: Math.round(ended.total / 2 ** 20) },
    rssMB: {
      idle: Math.round(idle.rssBytes / 2 ** 20),
      open: Math.round(open.rssBytes / 2 ** 20),
      ended: Math.round(ended.rssBytes / 2 ** 20),
    },
    openStream: perStream(idle, open, streams),
    finishedAnswer: perStream(idle, ended, streams),
  };
  writeResult(values.target === 'bare' ? 'heap-bare' : `heap-${values.backend}`, result);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await server.stop();
  await provider.stop();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

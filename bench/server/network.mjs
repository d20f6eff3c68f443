// Answers from a provider over the network (bench/baselines/provider-server.mjs), as a real
// deployment serves them: tens of tokens a second per chat, one token per network read, many chats
// at once. Four scenarios side by side in one run, each reading the same provider:
//  - Maestro (embedded, and on Postgres + Redis), reaching it as `local:bench`;
//  - the plain route (a Next.js route handler with `streamText`, through the same provider package);
//  - the bare AI SDK loop in plain Node (`streamText` → `toUIMessageStream`, no framework);
//  - the provider read directly by this process (the limit).
// For each, at every load: delivery lag per token, server CPU per token, peak memory and memory per
// open stream, first status (first byte where there is no status), and every token once, in order.
import { connect } from 'node:net';
import { loadavg } from 'node:os';
import { chatPath } from '../../lib/wire/index.ts';
import { messageBody, savedAnswer } from '../lib/sse.mjs';
import { usage } from '../lib/process.mjs';
import { pool, sleep, summarize } from '../lib/stats.mjs';
import { readTokens, tokenIndexes } from '../lib/tokens.mjs';
import { signedIdentityCookie, startBaseline, startMaestro, startPlainRoute } from '../lib/server.mjs';
import { newChatId } from './targets.mjs';

const QUESTION = 'Explain how Maestro streams answers.';

/** The provider, streaming `tokens` tokens at `tokensPerSecond` after `firstTokenMs`. */
export async function startProvider(port, { tokens, tokensPerSecond, firstTokenMs }) {
  const server = await startBaseline('provider', port, [tokens, tokensPerSecond, firstTokenMs].map(String));
  return { ...server, baseUrl: `${server.url}/v1` };
}

/** Maestro's environment for answering from the provider: its default model is `local:bench`. */
export const maestroEnv = (provider) => ({
  OPENAI_COMPATIBLE_BASE_URL: provider.baseUrl,
  OPENAI_COMPATIBLE_MODEL: 'bench',
  MAESTRO_DEFAULT_MODEL: 'local:bench',
  // BENCH_PROFILE_DIR=<dir>: Maestro's CPU profile (`--cpu-prof`) of the whole run is written there.
  ...(process.env.BENCH_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` } : {}),
});

const chatTarget = (name, kind, server, cookie = '') => ({
  name,
  kind,
  pid: server.pid,
  url: () => `${server.url}${chatPath(newChatId('net'))}/messages`,
  body: () => messageBody(QUESTION),
  headers: cookie ? { cookie } : {},
  stop: () => server.stop(),
  baseUrl: server.url,
  server,
});

/** The scenarios of one run, started one at a time by `start()`; Maestro once per backend. */
export function networkTargets(provider, ports, backends) {
  return [
    {
      name: 'provider, read directly',
      start: async () => ({
        name: 'provider, read directly',
        kind: 'direct',
        // This process reads the provider: its own CPU is the client's.
        pid: undefined,
        url: () => `${provider.baseUrl}/chat/completions`,
        body: () =>
          JSON.stringify({
            model: 'bench',
            stream: true,
            stream_options: { include_usage: true },
            messages: [{ role: 'user', content: QUESTION }],
          }),
        headers: {},
        stop: async () => {},
      }),
    },
    {
      name: 'bare AI SDK loop',
      port: ports.sdkLoop,
      start: async () => chatTarget('bare AI SDK loop', 'sdk', await startBaseline('sdk-loop', ports.sdkLoop, [provider.baseUrl])),
    },
    {
      name: 'plain route',
      port: ports.plain,
      start: async ({ cold = false } = {}) =>
        chatTarget(
          'plain route',
          'plain',
          await startPlainRoute({ port: ports.plain, env: { BENCH_PROVIDER_URL: provider.baseUrl }, waitUntilReady: !cold }),
        ),
    },
    ...backends.map((backend) => ({
      name: `maestro (${backend})`,
      port: ports.maestro,
      start: async ({ cold = false } = {}) =>
        chatTarget(
          `maestro (${backend})`,
          'maestro',
          await startMaestro({ port: ports.maestro, backend, env: maestroEnv(provider), waitUntilReady: !cold }),
          signedIdentityCookie(),
        ),
    })),
  ];
}

/** CPU time (ms) and resident memory (bytes) of the target's server, or of this process when it reads the provider itself. */
function resources(target) {
  if (target.pid !== undefined) return usage(target.pid);
  const cpu = process.cpuUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: process.memoryUsage.rss() };
}

/**
 * `chats` chats streaming at once for about `durationMs`: each of `chats` clients asks, reads the
 * answer to its end and asks again; their first questions are spread over one answer's time, so
 * that answers start and end all along the window, as real chats do.
 */
export async function measureNetworkLoad(target, { chats, durationMs, tokens, answerMs, checkSaved = 100 }) {
  const lags = [];
  const firstStatuses = [];
  const onToken = (lag) => lags.push(lag);
  const counts = { answers: 0, tokens: 0, incomplete: 0, missing: 0, repeated: 0, refused: 0, savedMismatches: 0 };
  const finished = [];
  const refusals = [];
  const idle = resources(target);
  let peakRssBytes = idle.rssBytes;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, resources(target).rssBytes)), 250);
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: chats }, async (_, client) => {
      await sleep((answerMs * client) / chats);
      while (performance.now() < deadline) {
        const url = target.url();
        const result = await readTokens(url, {
          body: target.body(),
          headers: target.headers,
          onToken,
          keepText: target.kind === 'maestro',
        }).catch((error) => ({ status: 0, body: `${error.code ?? ''} ${error.message}` }));
        if (result.status !== 200) {
          // Refused before it started (no token was lost): asked again, with the reason kept.
          counts.refused += 1;
          if (refusals.length < 5) refusals.push(`${result.status} ${String(result.body ?? '').slice(0, 200)}`);
          await sleep(100);
          continue;
        }
        counts.answers += 1;
        counts.tokens += result.tokens;
        counts.missing += result.missing + Math.max(0, tokens - result.expected);
        counts.repeated += result.repeated;
        if (!result.done || result.tokens !== tokens) counts.incomplete += 1;
        firstStatuses.push(result.firstStatusMs ?? result.firstByteMs);
        if (target.kind === 'maestro' && finished.length < checkSaved)
          finished.push({ chatId: url.split('/').at(-2), text: result.text.join(' ') });
      }
    }),
  );
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const end = resources(target);
  peakRssBytes = Math.max(peakRssBytes, end.rssBytes);
  // Every stream equal to the saved message (a sample, after the window so as not to load it).
  await pool(finished.length, 8, async (i) => {
    const { chatId, text } = finished[i];
    if (tokenIndexes(await savedAnswer(target.baseUrl, chatId, target.headers.cookie)).join(' ') !== text) counts.savedMismatches += 1;
  });
  const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
  const lag = summarize(lags);
  const firstStatus = summarize(firstStatuses);
  return {
    target: target.name,
    chats,
    ...counts,
    savedChecked: finished.length,
    refusals,
    lagP50: lag.p50,
    lagP99: lag.p99,
    lagMax: lag.max,
    firstStatusP50: firstStatus.p50,
    firstStatusP99: firstStatus.p99,
    cpuUsPerToken: counts.tokens > 0 ? round(((end.cpuMs - idle.cpuMs) * 1000) / counts.tokens, 0) : null,
    cpuCores: round((end.cpuMs - idle.cpuMs) / wallMs, 2),
    idleRssMB: Math.round(idle.rssBytes / 2 ** 20),
    peakRssMB: Math.round(peakRssBytes / 2 ** 20),
    kbPerStream: Math.round((peakRssBytes - idle.rssBytes) / 1024 / chats),
  };
}

/** A few answers before the figures are taken: a fresh process compiles its paths on its first ones. */
export async function warmUp(target, { chats, answerMs }) {
  await measureNetworkLoad(target, { chats, durationMs: answerMs, tokens: Number.POSITIVE_INFINITY, answerMs, checkSaved: 0 });
}

/** Resolves once something accepts connections on `port` (without a request, which would warm the server). */
async function listening(port, target) {
  for (;;) {
    if (target.server?.child && target.server.child.exitCode !== null)
      throw new Error(`${target.name} exited:\n${target.server.output.join('')}`);
    const connected = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (connected) return;
    await sleep(10);
  }
}

/**
 * The cold first request: the server is spawned (`start`), and once it accepts connections the
 * first question is sent. Times from that request to its first status (first byte where there is
 * no status) and first token, and the same from the spawn.
 */
export async function measureColdFirst(name, start, port) {
  const spawnedAt = performance.now();
  const target = await start();
  try {
    await listening(port, target);
    const sentAt = performance.now();
    const result = await readTokens(target.url(), { body: target.body(), headers: target.headers });
    if (result.status !== 200 || !result.done) throw new Error(`${name}: HTTP ${result.status} ${result.body ?? ''}`);
    const sinceSpawn = sentAt - spawnedAt;
    return {
      target: name,
      firstStatusMs: Math.round(result.firstStatusMs ?? result.firstByteMs),
      firstByteMs: Math.round(result.firstByteMs),
      firstTokenMs: Math.round(result.firstTokenMs),
      listeningAfterSpawnMs: Math.round(sinceSpawn),
      firstStatusAfterSpawnMs: Math.round(sinceSpawn + (result.firstStatusMs ?? result.firstByteMs)),
    };
  } finally {
    await target.stop();
  }
}

/** The load average of this machine (others may be using it), noted with every figure. */
export const loadAverage = () => loadavg().map((value) => Math.round(value * 100) / 100);

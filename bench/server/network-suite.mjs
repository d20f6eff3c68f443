// The network-provider benchmarks (see network.mjs), in one run: the provider in its own process,
// then each scenario at every load and its cold first request. Writes bench/results/network.json
// with the figures and the ratios to the bare AI SDK loop and to the plain route.
import { buildPlainRoute } from '../lib/server.mjs';
import { printTable, writeResult } from '../lib/results.mjs';
import { loadAverage, measureColdFirst, measureNetworkLoad, networkTargets, startProvider, warmUp } from './network.mjs';

const FULL = {
  provider: { tokens: 200, tokensPerSecond: 40, firstTokenMs: 300 },
  loads: [50, 100, 200, 300, 400],
  durationMs: 15_000,
  warmUpChats: 20,
  coldStarts: 2,
};
// The smoke run checks that every scenario works, quickly: no warm-up, Maestro on the embedded
// default only (the stress tests' smoke runs the other deployments), and the cold first request of
// Maestro and the plain route only.
const SMOKE = {
  provider: { tokens: 20, tokensPerSecond: 40, firstTokenMs: 100 },
  loads: [10],
  durationMs: 1_500,
  warmUpChats: 0,
  coldStarts: 1,
  backends: ['embedded'],
  coldTargets: ['plain route', 'maestro (embedded)'],
};

/**
 * `--only=network` (the loads) and `--only=network-cold` (the cold first requests). `loads`
 * overrides the numbers of chats; `targets` picks scenarios by name prefix (`maestro`, `plain`, …).
 */
export async function networkBench({ smoke, load, cold, backends, ports, loads, targets: pick, tokens: tokensPerAnswer, seconds }) {
  const preset = smoke ? SMOKE : FULL;
  const settings = {
    ...preset,
    ...(loads ? { loads } : {}),
    ...(seconds ? { durationMs: seconds * 1000 } : {}),
    provider: { ...preset.provider, ...(tokensPerAnswer ? { tokens: tokensPerAnswer } : {}) },
  };
  const { tokens, tokensPerSecond, firstTokenMs } = settings.provider;
  const answerMs = firstTokenMs + (tokens * 1000) / tokensPerSecond;
  const results = { smoke, settings, load: [], cold: [] };
  const save = () => writeResult('network', { ...results, ratios: ratios(results) });
  await buildPlainRoute();
  const provider = await startProvider(ports.provider, settings.provider);
  try {
    const smokeBackends = backends.filter((backend) => settings.backends?.includes(backend));
    const targets = networkTargets(provider, ports, smokeBackends.length > 0 ? smokeBackends : backends).filter(
      (target) => !pick || pick.some((prefix) => target.name.startsWith(prefix)),
    );
    if (load) {
      for (const { start } of targets) {
        const target = await start();
        try {
          if (settings.warmUpChats > 0) await warmUp(target, { chats: settings.warmUpChats, answerMs });
          for (const chats of settings.loads) {
            const loadBefore = loadAverage();
            const row = await measureNetworkLoad(target, { chats, durationMs: settings.durationMs, tokens, answerMs });
            results.load.push({ ...row, loadAverage: loadBefore });
            console.log(JSON.stringify(results.load.at(-1)));
            save();
          }
        } finally {
          await target.stop();
        }
      }
    }
    if (cold) {
      for (let i = 0; i < settings.coldStarts; i++) {
        for (const { name, start, port } of targets)
          if (port !== undefined && (!settings.coldTargets || settings.coldTargets.includes(name)))
            results.cold.push({ ...(await measureColdFirst(name, () => start({ cold: true }), port)), loadAverage: loadAverage() });
        save();
      }
    }
  } finally {
    await provider.stop();
  }
  const file = save();
  report(results);
  console.log(`\nresults: ${file}`);
  return results;
}

/** Each scenario's figures over the bare AI SDK loop's and the plain route's at the same load (cold: over the plain route's). */
function ratios({ load, cold }) {
  const ratio = (a, b) => (a != null && b ? Math.round((a / b) * 100) / 100 : null);
  const rows = [];
  for (const row of load) {
    const same = (name) => load.find((other) => other.target === name && other.chats === row.chats);
    const sdk = same('bare AI SDK loop');
    const plain = same('plain route');
    rows.push({
      target: row.target,
      chats: row.chats,
      cpuPerTokenOverSdkLoop: ratio(row.cpuUsPerToken, sdk?.cpuUsPerToken),
      cpuPerTokenOverPlain: ratio(row.cpuUsPerToken, plain?.cpuUsPerToken),
      lagP99OverPlain: ratio(row.lagP99, plain?.lagP99),
    });
  }
  // Memory per open stream, as the growth of peak memory from the lightest load to the heaviest:
  // what the process holds whatever the load (code, the young generation) does not count.
  const memory = [...new Set(load.map((row) => row.target))].map((name) => {
    const rows = load.filter((row) => row.target === name).sort((a, b) => a.chats - b.chats);
    const [low, high] = [rows[0], rows.at(-1)];
    return {
      target: name,
      fromChats: low.chats,
      toChats: high.chats,
      kbPerStream: high.chats > low.chats ? Math.round(((high.peakRssMB - low.peakRssMB) * 1024) / (high.chats - low.chats)) : null,
    };
  });
  const mean = (name, key) => {
    const values = cold.filter((row) => row.target === name).map((row) => row[key]);
    return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
  };
  const plainCold = mean('plain route', 'firstByteMs');
  const coldRows = [...new Set(cold.map((row) => row.target))].map((name) => ({
    target: name,
    coldFirstStatusOverPlainFirstByte: ratio(mean(name, 'firstStatusMs'), plainCold),
  }));
  return { load: rows, memory, cold: coldRows };
}

function report(results) {
  printTable(
    `Answers from a provider over the network (${results.settings.provider.tokens} tokens at ${results.settings.provider.tokensPerSecond}/s per chat)`,
    results.load.map((row) => ({
      target: row.target,
      chats: row.chats,
      answers: row.answers,
      'lag p50': row.lagP50,
      'lag p99': row.lagP99,
      'status p50': row.firstStatusP50,
      'status p99': row.firstStatusP99,
      'µs/token': row.cpuUsPerToken,
      cores: row.cpuCores,
      'peak MB': row.peakRssMB,
      'KB/stream': row.kbPerStream,
      lost: row.missing + row.repeated + row.incomplete + row.refused + row.savedMismatches,
      load: row.loadAverage[0],
    })),
  );
  printTable('Ratios at the same load', ratios(results).load);
  printTable(
    'Cold first request (ms from sending it, once the server accepts connections)',
    results.cold.map((row) => ({
      target: row.target,
      'first status': row.firstStatusMs,
      'first byte': row.firstByteMs,
      'first token': row.firstTokenMs,
      'listening after spawn': row.listeningAfterSpawnMs,
    })),
  );
  printTable('Cold ratios', ratios(results).cold);
}

/** Whether a run lost or repeated anything, or a stream differed from its saved message. */
export const networkFailures = (results) =>
  results.load.filter((row) => row.missing > 0 || row.repeated > 0 || row.incomplete > 0 || row.refused > 0 || row.savedMismatches > 0);

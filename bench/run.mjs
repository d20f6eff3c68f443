// `npm run bench`: Maestro's benchmarks against its production build (`npm run build` first).
// Writes bench/results/server.json (and client-long-answer.json) and prints short tables.
//   --smoke                 a few seconds per scenario: checks that every benchmark runs (CI)
//   --only=a,b              scenarios: network, network-cold (a provider over the network: these set
//                           the budgets; bench/results/network.json), and the zero-delay stress
//                           tests latency, throughput, paced, fanout, coldstart, client
//   --backends=embedded,embedded-memory,scaled
//   --loads=50,100          numbers of chats at once for `network`
//   --targets=maestro,plain scenarios of `network` by name prefix (maestro, plain, bare, provider)
//   --tokens=200 --seconds=15  tokens per answer and seconds per load for `network`
import { parseArgs } from 'node:util';
import { BACKENDS, buildPlainRoute } from './lib/server.mjs';
import { printTable, writeResult } from './lib/results.mjs';
import { measureColdStart } from './server/coldstart.mjs';
import { measureFanOut } from './server/fanout.mjs';
import { measureLatency } from './server/latency.mjs';
import { measurePacedStreams } from './server/paced.mjs';
import { limitTarget, maestroTarget, plainTarget, TOOL_AND_LONG_ANSWER, TOOL_AND_SHORT_ANSWER } from './server/targets.mjs';
import { measureThroughput, referenceAnswer } from './server/throughput.mjs';
import { networkBench, networkFailures } from './server/network-suite.mjs';

const SCENARIOS = ['network', 'network-cold', 'latency', 'throughput', 'paced', 'fanout', 'coldstart', 'client'];
const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string', default: SCENARIOS.join(',') },
    backends: { type: 'string', default: BACKENDS.join(',') },
    loads: { type: 'string' },
    targets: { type: 'string' },
    tokens: { type: 'string' },
    seconds: { type: 'string' },
  },
});
const smoke = values.smoke;
const only = new Set(values.only.split(','));
const backends = values.backends.split(',');
for (const name of only) if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}; one of ${SCENARIOS.join(', ')}`);

const settings = smoke
  ? {
      concurrencies: [1, 10],
      requests: () => 10,
      warmup: 4,
      throughput: { concurrency: 4, durationMs: 2_000 },
      // A tool call and a short answer: a couple of seconds at 20 words a second.
      paced: { streams: 20, words: 30, rampMs: 500, question: TOOL_AND_SHORT_ANSWER },
      fanout: { followers: 10, words: 30, question: TOOL_AND_SHORT_ANSWER },
      coldStarts: 1,
    }
  : {
      concurrencies: [1, 10, 50, 200],
      requests: (c) => Math.max(300, c * 5),
      warmup: 300,
      throughput: { concurrency: 16, durationMs: 20_000 },
      paced: { streams: 1_000, words: 1_200, rampMs: 5_000 },
      fanout: { followers: 100, words: 300 },
      coldStarts: 3,
    };

// BENCH_PORTS=<maestro>,<plain>,<limit> moves the servers, for a machine where other benchmarks run.
const [maestroPort = 3700, plainPort = 3790, limitPort = 3791] = (process.env.BENCH_PORTS ?? '').split(',').filter(Boolean).map(Number);
const PORTS = { maestro: maestroPort, plain: plainPort, limit: limitPort, provider: 3792, sdkLoop: 3793 };
const results = {
  smoke,
  settings: { ...settings, requests: settings.concurrencies.map((c) => settings.requests(c)) },
  latency: [],
  throughput: [],
  paced: [],
  fanout: [],
  coldStart: [],
};

/** Saves what has been measured so far, so that a failure later keeps it. */
const save = () => writeResult('server', { ...results, ratios: ratios(results) });

async function withTarget(start, measure) {
  const target = await start();
  try {
    return await measure(target);
  } finally {
    await target.stop();
  }
}

const network =
  only.has('network') || only.has('network-cold')
    ? await networkBench({
        smoke,
        load: only.has('network'),
        cold: only.has('network-cold'),
        backends,
        ports: PORTS,
        loads: values.loads?.split(',').map(Number),
        targets: values.targets?.split(','),
        tokens: values.tokens && Number(values.tokens),
        seconds: values.seconds && Number(values.seconds),
      })
    : undefined;

// The baselines first, so that every comparison is made in this same run on this same machine.
if (only.has('latency') || only.has('throughput')) {
  await buildPlainRoute();
  const plain = await plainTarget(PORTS.plain);
  try {
    // The limit replays the bytes of Maestro's answers to the latency and throughput questions.
    const limit = await withTarget(
      () => maestroTarget(PORTS.maestro, 'embedded'),
      (maestro) => limitTarget(PORTS.limit, maestro, [TOOL_AND_SHORT_ANSWER, TOOL_AND_LONG_ANSWER]),
    );
    try {
      const reference = await referenceAnswer(plain);
      for (const target of [limit, plain]) {
        if (only.has('latency')) results.latency.push(...(await measureLatency(target, settings)));
        if (only.has('throughput')) results.throughput.push(await measureThroughput(target, { ...settings.throughput, reference }));
        save();
      }
      for (const backend of backends) {
        await withTarget(
          () => maestroTarget(PORTS.maestro, backend),
          async (maestro) => {
            if (only.has('latency')) results.latency.push(...(await measureLatency(maestro, settings)));
            if (only.has('throughput')) results.throughput.push(await measureThroughput(maestro, { ...settings.throughput, reference }));
          },
        );
        save();
      }
    } finally {
      await limit.stop();
    }
  } finally {
    await plain.stop();
  }
}

for (const backend of backends) {
  if (only.has('paced'))
    results.paced.push(
      await withTarget(
        () => maestroTarget(PORTS.maestro, backend, { delayMs: 50 }),
        (t) => measurePacedStreams(t, settings.paced),
      ),
    );
  save();
  if (only.has('fanout'))
    results.fanout.push(
      await withTarget(
        () => maestroTarget(PORTS.maestro, backend, { delayMs: 50 }),
        (t) => measureFanOut(t, settings.fanout),
      ),
    );
  if (only.has('coldstart'))
    for (let i = 0; i < settings.coldStarts; i++) results.coldStart.push(await measureColdStart({ port: PORTS.maestro, backend }));
  save();
}

results.ratios = ratios(results);
const file = save();
report(results);
console.log(`\nresults: ${file}`);

if (only.has('client')) {
  const { clientBench } = await import('./client/long-answer.mjs');
  await clientBench({ smoke });
}

const failures = [...results.throughput, ...results.paced].filter(
  (row) => row.failed > 0 || row.incomplete > 0 || row.refused > 0 || row.savedMismatches > 0 || row.lostFrames > 0,
);
const fanoutFailures = results.fanout.filter((row) => row.complete !== row.followers || !row.producerComplete);
const lostTokens = network ? networkFailures(network) : [];
if (failures.length > 0 || fanoutFailures.length > 0 || lostTokens.length > 0) {
  console.error(
    '\nSome streams were incomplete, malformed or differed from the saved answer:',
    JSON.stringify([...failures, ...fanoutFailures, ...lostTokens], null, 2),
  );
  process.exit(1);
}

/** ours/plain and ours/limit, for throughput (higher is better) and first-byte latency (lower is better). */
function ratios({ latency, throughput }) {
  const find = (rows, kind) => rows.find((row) => row.target.startsWith(kind));
  const out = {};
  for (const backend of backends) {
    const ours = `maestro (${backend})`;
    const tOurs = throughput.find((row) => row.target === ours);
    const tPlain = find(throughput, 'plain');
    const tLimit = find(throughput, 'limit');
    const at = (rows, name, c) => rows.find((row) => row.target === name && row.concurrency === c);
    const c = settings.concurrencies.includes(10) ? 10 : settings.concurrencies[0];
    const lOurs = at(latency, ours, c);
    const lPlain = at(latency, 'plain route', c);
    const lLimit = at(latency, 'limit (replay)', c);
    const ratio = (a, b) => (a !== undefined && b ? Math.round((a / b) * 100) / 100 : null);
    const lMemory = at(latency, 'maestro (embedded-memory)', c);
    const tMemory = throughput.find((row) => row.target === 'maestro (embedded-memory)');
    out[backend] = {
      ...(backend === 'embedded' && {
        throughputOverMemoryLog: ratio(tOurs?.chatsPerSecond, tMemory?.chatsPerSecond),
        [`firstStatusP50At${c}OverMemoryLog`]: ratio(lOurs?.firstStatus?.p50, lMemory?.firstStatus?.p50),
      }),
      throughputOursOverPlain: ratio(tOurs?.chatsPerSecond, tPlain?.chatsPerSecond),
      throughputOursOverLimit: ratio(tOurs?.chatsPerSecond, tLimit?.chatsPerSecond),
      [`firstByteP50At${c}OursOverPlain`]: ratio(lOurs?.firstByte.p50, lPlain?.firstByte.p50),
      [`firstByteP50At${c}OursOverLimit`]: ratio(lOurs?.firstByte.p50, lLimit?.firstByte.p50),
    };
  }
  return out;
}

function report({ latency, throughput, paced, fanout, coldStart, ratios }) {
  printTable(
    'Latency after POST (ms)',
    latency.map((row) => ({
      target: row.target,
      concurrent: row.concurrency,
      requests: row.requests,
      'first byte p50': row.firstByte.p50,
      'first byte p99': row.firstByte.p99,
      'first status p50': row.firstStatus?.p50 ?? '-',
      'first status p99': row.firstStatus?.p99 ?? '-',
    })),
  );
  printTable(
    'Throughput (a tool call and a ~400-word answer)',
    throughput.map((row) => ({
      target: row.target,
      concurrent: row.concurrency,
      chats: row.chats,
      'chats/s': row.chatsPerSecond,
      failed: row.failed,
      'saved differs': row.savedMismatches,
      'CPU cores': row.cpuCores,
      'peak MB': row.peakRssMB,
    })),
  );
  printTable(
    'Ratios',
    Object.entries(ratios).map(([backend, values]) => ({ backend, ...values })),
  );
  printTable(
    'Paced streams (~20 words/s)',
    paced.map((row) => ({
      target: row.target,
      streams: row.streams,
      'peak open': row.peakOpen,
      frames: row.frames,
      'lag p50': row.lagP50,
      'lag p99': row.lagP99,
      'lag max': row.lagMax,
      lost: row.lostFrames,
      incomplete: row.incomplete,
      'saved differs': row.savedMismatches,
      'peak MB': row.peakRssMB,
      'CPU cores': row.cpuCores,
    })),
  );
  printTable(
    'Fan-out (one run, many followers)',
    fanout.map((row) => ({
      target: row.target,
      followers: row.followers,
      complete: row.complete,
      frames: row.frames,
      'lag p50': row.lagP50,
      'lag p99': row.lagP99,
      'lag max': row.lagMax,
      'peak MB': row.peakRssMB,
    })),
  );
  printTable(
    'Cold start (ms)',
    coldStart.map((row) => ({ backend: row.backend, 'first response': row.firstResponseMs, 'first complete answer': row.firstAnswerMs })),
  );
}

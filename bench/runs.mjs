// Durable-run figures against a running Maestro server (any configuration):
//  - resume correctness: start an answer, drop the connection after a random number of frames,
//    re-attach with Last-Event-ID (and once more from the start), and compare both with the saved answer;
//  - stop latency: time from POST /stop to the end of the run's stream.
// Usage: node bench/runs.mjs [baseUrl] [trials]   (a server with MAESTRO_OFFLINE_DELAY_MS around 5-30)
import { chatPath, LAST_EVENT_ID_HEADER, SseParser } from '../lib/wire/index.ts';
import { identity } from './lib/sse.mjs';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:3000';
const trials = Number(process.argv[3] ?? 20);
const question = 'Explain how Maestro streams answers.';

const headers = { cookie: await identity(baseUrl) };

/** The frames that carry data (keep-alives left out). */
const dataFrames = (events) => events.filter((event) => event.data !== undefined);
const deltas = (list) =>
  list
    .filter((f) => f.data.startsWith('{'))
    .map((f) => JSON.parse(f.data))
    .filter((c) => c.type === 'text-delta')
    .map((c) => c.delta)
    .join('');

async function readFrames(response, stopAfter = Infinity) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const frames = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    frames.push(...dataFrames(parser.push(decoder.decode(value, { stream: true }))));
    if (frames.length >= stopAfter) {
      await reader.cancel();
      return frames.slice(0, stopAfter);
    }
  }
  return frames;
}

const post = (chatId) =>
  fetch(`${baseUrl}${chatPath(chatId)}/messages`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ message: { role: 'user', parts: [{ type: 'text', text: question }] } }),
  });

async function savedAnswer(chatId) {
  for (;;) {
    const body = await (await fetch(`${baseUrl}${chatPath(chatId)}`, { headers })).json();
    if (!body.activeRun) {
      const answer = body.messages.find((m) => m.role === 'assistant');
      return answer.parts
        .filter((p) => p.type === 'text')
        .map((p) => p.text)
        .join('');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let exact = 0;
for (let trial = 0; trial < trials; trial++) {
  const chatId = `resume-${Date.now().toString(36)}-${trial}`;
  const cut = 5 + Math.floor(Math.random() * 200);
  const first = await readFrames(await post(chatId), cut);
  const lastId = first.at(-1).id;
  const [resumed, replay] = await Promise.all([
    fetch(`${baseUrl}${chatPath(chatId)}/stream`, { headers: { ...headers, [LAST_EVENT_ID_HEADER]: lastId } }),
    fetch(`${baseUrl}${chatPath(chatId)}/stream`, { headers }),
  ]);
  const rest = resumed.status === 200 ? await readFrames(resumed) : [];
  const all = replay.status === 200 ? await readFrames(replay) : [];
  const saved = await savedAnswer(chatId);
  const ok = deltas([...first, ...rest]) === saved && (replay.status === 204 || deltas(all) === saved);
  if (ok) exact++;
  else console.log(`trial ${trial}: mismatch after cutting at frame ${cut}`);
}
console.log(
  `resume: ${exact}/${trials} trials re-attached with exactly the saved text (cut at a random frame, Last-Event-ID and full replay)`,
);

const latencies = [];
for (let trial = 0; trial < Math.min(trials, 10); trial++) {
  const chatId = `stop-${Date.now().toString(36)}-${trial}`;
  const response = await post(chatId);
  const reader = response.body.getReader();
  await reader.read();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const sent = performance.now();
  await fetch(`${baseUrl}${chatPath(chatId)}/stop`, { method: 'POST', headers });
  while (!(await reader.read()).done);
  latencies.push(performance.now() - sent);
}
latencies.sort((a, b) => a - b);
console.log(
  `stop: stream ended ${latencies[Math.floor(latencies.length / 2)].toFixed(1)} ms (median), ${latencies.at(-1).toFixed(1)} ms (max) after POST /stop, over ${latencies.length} runs`,
);

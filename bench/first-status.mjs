// Measures, against a running Maestro server, the time from POST /api/chats/{id}/messages to the
// first byte, to the first `data-status` event and to the end of the stream.
// Usage: node bench/first-status.mjs [baseUrl] [requests] [concurrency]
// Run the server with MAESTRO_OFFLINE_DELAY_MS=0 to measure Maestro rather than the model's pace.

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:3000';
const requests = Number(process.argv[3] ?? 50);
const concurrency = Number(process.argv[4] ?? 1);
const question = process.env.BENCH_QUESTION ?? 'What is 17 * 23?';

async function once(index) {
  const chatId = `bench-${Date.now().toString(36)}-${index}`;
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/chats/${chatId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: { role: 'user', parts: [{ type: 'text', text: question }] } }),
  });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let text = '';
  let firstByte;
  let firstStatus;
  for await (const chunk of response.body) {
    firstByte ??= performance.now() - started;
    text += decoder.decode(chunk, { stream: true });
    if (firstStatus === undefined && text.includes('"type":"data-status"')) firstStatus = performance.now() - started;
  }
  if (!text.trimEnd().endsWith('data: [DONE]')) throw new Error(`stream ${chatId} did not end with [DONE]`);
  return { firstByte, firstStatus, total: performance.now() - started };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

await once(-1); // warm up the route
const results = [];
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests) results.push(await once(next++));
  }),
);
const row = (name, key) =>
  `${name.padEnd(14)} p50 ${percentile(results.map((r) => r[key]), 50).toFixed(1).padStart(7)} ms   p99 ${percentile(results.map((r) => r[key]), 99).toFixed(1).padStart(7)} ms`;
console.log(`${requests} requests, concurrency ${concurrency}, "${question}" against ${baseUrl}`);
console.log(row('first byte', 'firstByte'));
console.log(row('first status', 'firstStatus'));
console.log(row('whole answer', 'total'));

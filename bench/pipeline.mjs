// Where the AI SDK's CPU per token goes, in plain Node with no server around it: `chats` answers
// at once from the network provider (bench/baselines/provider-server.mjs), read by this process
// through ever more of the pipeline, CPU per token of each stage measured in turn:
//  - fetch:          the provider's HTTP response body read with undici's fetch, nothing parsed;
//  - provider:       the provider package's `doStream` (SSE parse, JSON, schema validation);
//  - provider+merge: the same with the deltas merged per 100 ms window right after it;
//  - sdk:            `streamText` → `toUIMessageStream` on the provider (the bare AI SDK loop);
//  - sdk+merge:      the same with the model's deltas merged per 100 ms window.
// Usage: node bench/pipeline.mjs [chats=100] [seconds=12] [stages=all, comma-separated]
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { streamText, toUIMessageStream } from 'ai';
import { startProvider } from './server/network.mjs';
import { sleep } from './lib/stats.mjs';

const chats = Number(process.argv[2] ?? 100);
const seconds = Number(process.argv[3] ?? 12);
const STAGES = ['fetch', 'provider', 'provider+merge', 'sdk', 'sdk+merge'];
const stages = process.argv[4]?.split(',') ?? STAGES;
const TOKENS = 200;
const PACE = { tokens: TOKENS, tokensPerSecond: 40, firstTokenMs: 300 };
const answerMs = PACE.firstTokenMs + (TOKENS * 1000) / PACE.tokensPerSecond;

/** Merges text deltas per `windowMs` (a bare version of lib/agent/coalesce.ts). */
function merged(model, windowMs = 100) {
  return {
    ...model,
    specificationVersion: model.specificationVersion,
    provider: model.provider,
    modelId: model.modelId,
    supportedUrls: model.supportedUrls,
    doGenerate: (options) => model.doGenerate(options),
    async doStream(options) {
      const result = await model.doStream(options);
      let waiting;
      let timer;
      let output;
      const send = () => {
        clearTimeout(timer);
        timer = undefined;
        if (waiting) output.enqueue(waiting);
        waiting = undefined;
      };
      return {
        ...result,
        stream: result.stream.pipeThrough(
          new TransformStream({
            start: (controller) => void (output = controller),
            transform(part) {
              if (part.type !== 'text-delta') {
                send();
                output.enqueue(part);
              } else if (waiting) waiting = { ...waiting, delta: waiting.delta + part.delta };
              else {
                waiting = part;
                timer = setTimeout(send, windowMs);
              }
            },
            flush: send,
          }),
        ),
      };
    },
  };
}

const provider = await startProvider(3794, PACE);
const model = createOpenAICompatible({ name: 'local', baseURL: provider.baseUrl, includeUsage: true })('bench');
const prompt = [{ role: 'user', content: [{ type: 'text', text: 'Explain how Maestro streams answers.' }] }];

const answer = {
  async fetch() {
    const response = await fetch(`${provider.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'bench', stream: true, messages: [] }),
    });
    for await (const bytes of response.body) void bytes;
  },
  async provider(m = model) {
    const { stream } = await m.doStream({ prompt });
    for await (const part of stream) void part;
  },
  'provider+merge': () => answer.provider(merged(model)),
  async sdk(m = model) {
    const result = streamText({ model: m, prompt: 'Explain how Maestro streams answers.' });
    for await (const chunk of toUIMessageStream({ stream: result.stream })) void chunk;
  },
  'sdk+merge': () => answer.sdk(merged(model)),
};

const rows = [];
for (const stage of stages) {
  // One round not counted: the JIT compiles the paths first.
  await Promise.all(Array.from({ length: 20 }, () => answer[stage]()));
  let answers = 0;
  const deadline = performance.now() + seconds * 1000;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: chats }, async (_, i) => {
      await sleep((answerMs * i) / chats);
      while (performance.now() < deadline) {
        await answer[stage]();
        answers += 1;
      }
    }),
  );
  const cpu = process.cpuUsage(before);
  rows.push({ stage, chats, answers, cpuUsPerToken: Math.round((cpu.user + cpu.system) / (answers * TOKENS)) });
  console.log(JSON.stringify(rows.at(-1)));
}
await provider.stop();
console.table(rows);

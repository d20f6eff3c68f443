// The floor of the libraries Maestro builds on: the AI SDK's `streamText` → `toUIMessageStream`
// from the network provider (the same provider package Maestro uses), written to the response by
// the SDK's own helper, in plain Node: no web framework, no store, no run log.
// Usage: node bench/baselines/sdk-loop-server.mjs <port> <provider base URL>
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { pipeUIMessageStreamToResponse, streamText, toUIMessageStream } from 'ai';
import { readQuestion, serve } from './serve.mjs';

const [port, providerUrl] = process.argv.slice(2);
const model = createOpenAICompatible({ name: 'local', baseURL: providerUrl, includeUsage: true })('bench');

serve(port, async (request, response) => {
  const result = streamText({ model, messages: [{ role: 'user', content: await readQuestion(request) }] });
  await pipeUIMessageStreamToResponse({ response, stream: toUIMessageStream({ stream: result.stream }) });
});

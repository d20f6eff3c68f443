// The floor of the libraries Maestro builds on: the AI SDK's `streamText` → `toUIMessageStream`
// from the network provider (the same provider package Maestro uses), written to the response by
// the SDK's own helper, in plain Node: no web framework, no store, no run log.
// Usage: node bench/baselines/sdk-loop-server.mjs <port> <provider base URL>
import http from 'node:http';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { pipeUIMessageStreamToResponse, streamText, toUIMessageStream } from 'ai';

const [port, providerUrl] = process.argv.slice(2);
const model = createOpenAICompatible({ name: 'local', baseURL: providerUrl, includeUsage: true })('bench');

const server = http.createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(request.url === '/health' ? 200 : 404).end();
    return;
  }
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const text = JSON.parse(body).message.parts.map((part) => part.text).join('\n');
    const result = streamText({ model, messages: [{ role: 'user', content: text }] });
    void pipeUIMessageStreamToResponse({ response, stream: toUIMessageStream({ stream: result.stream }) });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
// A clean exit on SIGTERM, so that `--cpu-prof` can write its profile.
process.on('SIGTERM', () => process.exit(0));

// A model provider over the network: an OpenAI-compatible chat completions endpoint that streams
// every answer at a set pace, one token per write (one network read per token on the other side),
// as a hosted model does. Each token is ` <index>@<send time, epoch ms>`: whoever reads the
// answer, through any server in between, can tell when each token left the provider and whether
// any was lost or repeated (bench/lib/tokens.mjs).
// Usage: node bench/baselines/provider-server.mjs <port> <tokens> <tokensPerSecond> <firstTokenMs>
import { serve } from './serve.mjs';

const [port, tokens, tokensPerSecond, firstTokenMs] = process.argv.slice(2).map(Number);
const gapMs = 1000 / tokensPerSecond;
const wallNow = () => performance.timeOrigin + performance.now();

const frame = (id, delta, finishReason = null) =>
  `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'bench', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;

/** Streams one answer on `response`: the tokens at their schedule, then the finish, the usage and [DONE]. */
function streamAnswer(response) {
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
  const startedAt = performance.now();
  let index = 0;
  let timer;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.on('close', () => clearTimeout(timer));
  const next = () => {
    if (response.destroyed) return;
    if (index < tokens) {
      const content = ` ${index}@${Math.round(wallNow())}`;
      response.write(frame(id, index === 0 ? { role: 'assistant', content } : { content }));
      index += 1;
      // On schedule from the start, so that a late timer does not slow the whole answer down.
      timer = setTimeout(next, Math.max(0, startedAt + firstTokenMs + index * gapMs - performance.now()));
      return;
    }
    response.write(frame(id, {}, 'stop'));
    response.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'bench', choices: [], usage: { prompt_tokens: 20, completion_tokens: tokens, total_tokens: 20 + tokens } })}\n\n`,
    );
    response.end('data: [DONE]\n\n');
  };
  timer = setTimeout(next, firstTokenMs);
}

serve(port, (request, response) => {
  request.resume();
  request.on('end', () => streamAnswer(response));
}).maxConnections = 10_000;

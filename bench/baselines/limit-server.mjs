// The limit: the same SSE bytes Maestro sent for an answer, replayed from memory by a bare Node
// server, frame by frame. Nothing can serve that answer faster on this machine.
// Usage: node bench/baselines/limit-server.mjs <port> <recordings.json: { question: SSE body }>
import { readFileSync } from 'node:fs';
import { parseSseBody, sseFrame } from '../../lib/wire/index.ts';
import { readQuestion, serve } from './serve.mjs';

const recordings = new Map(
  Object.entries(JSON.parse(readFileSync(process.argv[3], 'utf8'))).map(([question, body]) => [
    question,
    parseSseBody(body).map((frame) => Buffer.from(sseFrame(frame))),
  ]),
);

serve(process.argv[2] ?? 3901, async (request, response) => {
  const frames = recordings.get(await readQuestion(request));
  if (!frames) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-vercel-ai-ui-message-stream': 'v1',
  });
  for (const frame of frames) response.write(frame);
  response.end();
});

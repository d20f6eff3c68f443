// The limit: the same SSE bytes Maestro sent for an answer, replayed from memory by a bare Node
// server, frame by frame. Nothing can serve that answer faster on this machine.
// Usage: node bench/baselines/limit-server.mjs <port> <recordings.json: { question: SSE body }>
import { readFileSync } from 'node:fs';
import http from 'node:http';

const recordings = new Map(
  Object.entries(JSON.parse(readFileSync(process.argv[3], 'utf8'))).map(([question, body]) => [
    question,
    body
      .split('\n\n')
      .filter((frame) => frame !== '')
      .map((frame) => Buffer.from(`${frame}\n\n`)),
  ]),
);

const server = http.createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(request.url === '/health' ? 200 : 404).end();
    return;
  }
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const question = JSON.parse(body).message.parts.map((part) => part.text).join('\n');
    const frames = recordings.get(question);
    if (!frames) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-vercel-ai-ui-message-stream': 'v1' });
    for (const frame of frames) response.write(frame);
    response.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] ?? 3901), '127.0.0.1', () => console.log('ready'));
// A clean exit on SIGTERM, so that `--cpu-prof` can write its profile.
process.on('SIGTERM', () => process.exit(0));

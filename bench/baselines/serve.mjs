// What the benchmark's own servers share: answer POSTs (anything else: 404, or 200 on /health),
// say `ready` once listening, and exit cleanly on SIGTERM so that `--cpu-prof` can write its profile.
import http from 'node:http';

/** Serves `answer(request, response)` for every POST on 127.0.0.1:`port`. */
export function serve(port, answer) {
  const server = http.createServer((request, response) => {
    if (request.method !== 'POST') {
      response.writeHead(request.url === '/health' ? 200 : 404).end();
      return;
    }
    answer(request, response);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
  process.on('SIGTERM', () => process.exit(0));
  return server;
}

/** The question of a chat message request (`{ message: { parts: [{ text }] } }`). */
export function readQuestion(request) {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () =>
      resolve(
        JSON.parse(body)
          .message.parts.map((part) => part.text)
          .join('\n'),
      ),
    );
    request.on('error', reject);
  });
}

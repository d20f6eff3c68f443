// 6. Cold start: from spawning `next start` to the first complete answer (and to the first
// answered request), on a fresh data folder, for a user who already has an identity.
import { signedIdentityCookie, startMaestro } from '../lib/server.mjs';
import { readAnswer, sendMessage } from '../lib/sse.mjs';
import { sleep } from '../lib/stats.mjs';

export async function measureColdStart({ port, backend }) {
  const server = await startMaestro({ port, backend, waitUntilReady: false });
  const headers = { cookie: signedIdentityCookie() };
  try {
    let listeningMs;
    for (;;) {
      if (server.child.exitCode !== null) throw new Error(`the server exited:\n${server.output.join('')}`);
      try {
        const result = await sendMessage(server.url, 'cold-start', 'What is 17 * 23?', { headers });
        listeningMs ??= performance.now() - server.spawnedAt;
        const answer = readAnswer(result.frames);
        if (result.status === 200 && answer.problems.length === 0) {
          return {
            backend,
            firstAnswerMs: Math.round(performance.now() - server.spawnedAt),
            firstResponseMs: Math.round(listeningMs),
            answerMs: Math.round(result.totalMs),
          };
        }
        throw new Error(`HTTP ${result.status}: ${answer.problems.join('; ') || result.body}`);
      } catch (error) {
        if (error.code !== 'ECONNREFUSED') throw error;
        await sleep(10);
      }
    }
  } finally {
    await server.stop();
  }
}

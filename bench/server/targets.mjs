// The servers a benchmark compares: Maestro (embedded or scaled out) and the two baselines, all
// answering POST /api/chats/{id}/messages with a UI message stream.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sseFrame } from '../../lib/wire/index.ts';
import { identity, readAnswer, sendMessage } from '../lib/sse.mjs';
import { startBaseline, startMaestro, startPlainRoute } from '../lib/server.mjs';

/** The question of the throughput benchmark: a tool call, then a long answer. */
export const TOOL_AND_LONG_ANSWER = 'What is 17 * 23? Explain in about 400 words.';
/** The question of the latency benchmark: a tool call and a short answer. */
export const TOOL_AND_SHORT_ANSWER = 'What is 17 * 23?';

let chatCounter = 0;
export const newChatId = (prefix = 'bench') => `${prefix}-${process.pid.toString(36)}-${(chatCounter++).toString(36)}`;

/** Maestro on `backend`, with an identity to send as. */
export async function maestroTarget(port, backend, options = {}) {
  const server = await startMaestro({ port, backend, ...options });
  const cookie = await identity(server.url).catch(async (error) => {
    await server.stop();
    throw error;
  });
  return {
    name: `maestro (${backend})`,
    kind: 'maestro',
    backend,
    server,
    url: server.url,
    pid: server.pid,
    cookie,
    stop: () => server.stop(),
  };
}

/** The plain AI SDK route: a Next.js route handler with `streamText`, no store, no run log. */
export async function plainTarget(port) {
  const server = await startPlainRoute({ port });
  return { name: 'plain route', kind: 'plain', url: server.url, pid: server.pid, cookie: '', stop: () => server.stop() };
}

/** The limit: the bytes of Maestro's answers to `questions`, replayed from memory. */
export async function limitTarget(port, maestro, questions) {
  const recordings = {};
  for (const question of questions) {
    const recorded = await sendMessage(maestro.url, newChatId('record'), question, { headers: { cookie: maestro.cookie } });
    const problems = readAnswer(recorded.frames).problems;
    if (problems.length > 0) throw new Error(`the recorded answer is not well-formed: ${problems.join('; ')}`);
    recordings[question] = recorded.frames.map(({ id, data }) => sseFrame({ id, data })).join('');
  }
  const file = path.join(tmpdir(), `maestro-limit-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(recordings));
  const server = await startBaseline('limit', port, [file]);
  return { name: 'limit (replay)', kind: 'limit', url: server.url, pid: server.pid, cookie: '', stop: () => server.stop() };
}

/** Sends `question` to a target as a new chat. */
export function ask(target, question, options = {}) {
  return sendMessage(target.url, newChatId(), question, { ...options, headers: { cookie: target.cookie } });
}

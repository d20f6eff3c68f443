// 5. Fan-out: one run followed by `followers` other viewers (GET /stream), as many tabs would.
// Delivery lag to every follower, and every follower gets the whole answer.
import { chatPath } from '../../lib/wire/index.ts';
import { readAnswer, savedAnswer, sendMessage, streamRequest, wallNow } from '../lib/sse.mjs';
import { sampleUsage } from '../lib/process.mjs';
import { lagRecorder } from './lag.mjs';
import { newChatId } from './targets.mjs';

export async function measureFanOut(
  target,
  { followers, words, question = `Explain how Maestro streams answers, in about ${words} words.` },
) {
  const chatId = newChatId('fanout');
  const lag = lagRecorder();
  const usage = sampleUsage(target.pid);
  const producer = sendMessage(target.url, chatId, question, { headers: { cookie: target.cookie } });
  // Followers attach once the run exists (the POST has answered with its headers by the first frame).
  let runExists = false;
  for (let tries = 0; !runExists && tries < 200; tries++) {
    const response = await fetch(`${target.url}${chatPath(chatId)}/run`, { headers: { cookie: target.cookie } });
    runExists = response.ok && (await response.json()).run !== null;
    if (!runExists) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const results = await Promise.all(
    Array.from({ length: followers }, () =>
      streamRequest(`${target.url}${chatPath(chatId)}/stream`, { headers: { cookie: target.cookie }, onFrame: lag.since(wallNow()) }),
    ),
  );
  const own = await producer;
  const resources = usage.stop();
  const saved = await savedAnswer(target.url, chatId, target.cookie);
  const complete = results.filter((result) => {
    if (result.status !== 200) return false;
    const answer = readAnswer(result.frames);
    return answer.problems.length === 0 && answer.text === saved;
  }).length;
  return {
    target: target.name,
    followers,
    words,
    complete,
    producerComplete: readAnswer(own.frames).text === saved,
    ...lag.summary(),
    ...resources,
  };
}

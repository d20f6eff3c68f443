// 4. Many open streams at a human reading pace: `streams` chats whose answers arrive at about
// 20 words a second (the offline model at 50 ms a word) for about a minute. Delivery lag p99,
// server memory and CPU, and no lost frame: every stream has every frame and equals the saved answer.
import { sampleUsage } from '../lib/process.mjs';
import { readAnswer, savedAnswer, sendMessage } from '../lib/sse.mjs';
import { pool, sleep } from '../lib/stats.mjs';
import { gaps, lagRecorder } from './lag.mjs';
import { newChatId } from './targets.mjs';

/** `target` must run with a 50 ms word delay. Streams start evenly over `rampMs`. */
export async function measurePacedStreams(
  target,
  { streams, words, rampMs, question = `Explain how Maestro streams answers, in about ${words} words.` },
) {
  const lag = lagRecorder();
  const usage = sampleUsage(target.pid, 500);
  let lostFrames = 0;
  let incomplete = 0;
  let open = 0;
  let peakOpen = 0;
  const finished = [];
  const refused = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: streams }, async (_, index) => {
      await sleep((rampMs * index) / streams);
      const chatId = newChatId('paced');
      open += 1;
      peakOpen = Math.max(peakOpen, open);
      const result = await sendMessage(target.url, chatId, question, { headers: { cookie: target.cookie }, onFrame: lag.onFrame }).catch(
        (error) => ({
          status: 0,
          body: `${error.code ?? ''} ${error.message}`,
        }),
      );
      open -= 1;
      if (result.status !== 200) {
        refused.push(`${result.status} ${result.body?.slice(0, 200)}`);
        return;
      }
      const answer = readAnswer(result.frames);
      lostFrames += gaps(result.frames);
      if (answer.problems.length > 0) incomplete += 1;
      finished.push({ chatId, text: answer.text });
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const resources = usage.stop();
  let savedMismatches = 0;
  await pool(finished.length, 16, async (i) => {
    const { chatId, text } = finished[i];
    if ((await savedAnswer(target.url, chatId, target.cookie)) !== text) savedMismatches += 1;
  });
  return {
    target: target.name,
    streams,
    peakOpen,
    words,
    elapsedS: Math.round(elapsedS),
    ...lag.summary(),
    lostFrames,
    incomplete,
    refused: refused.length,
    refusedSample: refused.slice(0, 3),
    serverLog: refused.length > 0 ? target.server?.output.slice(-8).join('').slice(-3000) : undefined,
    savedMismatches,
    ...resources,
  };
}

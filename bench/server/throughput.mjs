// 2. Throughput: completed chats per second at saturation (a tool call and a long answer), each
// stream checked complete and well-formed, and (for Maestro) equal to the saved message.
import { sampleUsage } from '../lib/process.mjs';
import { readAnswer, savedAnswer, sendMessage } from '../lib/sse.mjs';
import { ask, newChatId, TOOL_AND_LONG_ANSWER } from './targets.mjs';

/** Chats `concurrency` at a time for `durationMs`; every answer must equal `reference` (the text). */
export async function measureThroughput(target, { concurrency, durationMs, reference }) {
  const checked = [];
  const failures = [];
  const usage = sampleUsage(target.pid);
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const chatId = newChatId('tp');
        const result = await sendMessage(target.url, chatId, TOOL_AND_LONG_ANSWER, { headers: { cookie: target.cookie } });
        const answer = readAnswer(result.frames);
        const output = answer.toolOutputs[0];
        if (result.status !== 200) answer.problems.push(`HTTP ${result.status}`);
        if (output?.result !== '391') answer.problems.push('no calculator result 391');
        if (reference !== undefined && answer.text !== reference) answer.problems.push('text differs from the reference answer');
        if (answer.problems.length > 0) failures.push({ chatId, problems: answer.problems });
        else checked.push({ chatId, text: answer.text, frames: result.frameCount });
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const resources = usage.stop();
  // Compared after the window, so the check does not load the server while it is measured.
  let savedMismatches = 0;
  if (target.kind === 'maestro') {
    for (const { chatId, text } of checked) if ((await savedAnswer(target.url, chatId, target.cookie)) !== text) savedMismatches += 1;
  }
  return {
    target: target.name,
    concurrency,
    chats: checked.length,
    failed: failures.length,
    savedMismatches,
    chatsPerSecond: Math.round((checked.length / elapsedS) * 10) / 10,
    framesPerAnswer: checked[0]?.frames,
    ...resources,
    failures: failures.slice(0, 5),
  };
}

/** The text every answer to the throughput question must have (the offline model is deterministic). */
export async function referenceAnswer(target) {
  const result = await ask(target, TOOL_AND_LONG_ANSWER);
  const answer = readAnswer(result.frames);
  if (answer.problems.length > 0) throw new Error(`${target.name}: ${answer.problems.join('; ')}`);
  return answer.text;
}

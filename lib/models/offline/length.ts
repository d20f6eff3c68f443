/**
 * Answers of a requested length: a question that asks for "about 4000 words" gets an answer of
 * about that many words, made of further sections in the guide's style (headings, a list, a code
 * block, a table), so that long answers can be seen, and measured, streaming.
 */

/** The fewest and most words the offline model will stretch an answer to. */
export const MIN_REQUESTED_WORDS = 50;
export const MAX_REQUESTED_WORDS = 20_000;

/** Counts words as the offline model streams them: runs of non-space characters. */
export function wordCount(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** The length a question asks for ("in about 4,000 words", "1200 words"), clamped to the limits; undefined if none. */
export function requestedWords(question: string): number | undefined {
  const match = /(\d{1,3}(?:[,.\s]\d{3})+|\d+)\s*(?:-\s*)?words?\b/i.exec(question);
  if (!match?.[1]) return undefined;
  const words = Number(match[1].replace(/[,.\s]/g, ''));
  if (!Number.isFinite(words) || words <= 0) return undefined;
  return Math.min(MAX_REQUESTED_WORDS, Math.max(MIN_REQUESTED_WORDS, words));
}

const THEMES = ['streaming', 'tool calls', 'run logs', 'reconnecting', 'stopping a run', 'scaling out', 'the store', 'status updates'];

/** Section `n` (1-based) of the continuation: each one differs, so no two blocks render the same. */
function section(n: number): string {
  const theme = THEMES[(n - 1) % THEMES.length] ?? 'streaming';
  return [
    `### Part ${n}: ${theme}`,
    `This is part ${n} of a long answer about ${theme}. Every part has the same shape, so its cost to render stays the same wherever it falls in the answer: a paragraph, a list, a code block and a table.`,
    [
      `- **Step ${n}.1**: the server writes each frame about ${theme} to the run log once.`,
      `- **Step ${n}.2**: every viewer reads the same frames, in order, from that log.`,
      `- **Step ${n}.3**: a viewer that reconnects continues after the last frame it saw.`,
    ].join('\n'),
    [
      '```ts',
      `// part ${n}`,
      `const part${n} = { theme: '${theme}', frames: ${n * 10}, done: true };`,
      `console.log(part${n});`,
      '```',
    ].join('\n'),
    ['| Part | Theme | Frames |', '| --- | --- | --- |', `| ${n} | ${theme} | ${n * 10} |`].join('\n'),
  ].join('\n\n');
}

/** `text` followed by further sections until it holds about `words` words (never cut mid-section). */
export function stretchTo(text: string, words: number): string {
  const parts = [text];
  let total = wordCount(text);
  for (let n = 1; total < words; n++) {
    const next = section(n);
    parts.push(next);
    total += wordCount(next);
  }
  return parts.join('\n\n');
}

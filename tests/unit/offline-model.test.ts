import path from 'node:path';
import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { generateText, isStepCount, streamText, ToolLoopAgent, type TextStreamPart, type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import { answerToolResult } from '@/lib/models/offline/answers';
import { detectIntent, extractExpression, timeZoneFor } from '@/lib/models/offline/intent';
import { requestedWords } from '@/lib/models/offline/length';
import { createOfflineModel, splitWords } from '@/lib/models/offline/model';
import { tools } from '@/lib/tools';

// The file tools read the repository's sample workspace (getConfig() parses the env on first use).
process.env.MAESTRO_WORKSPACE_DIR = path.resolve(import.meta.dirname, '../../workspace');

const LONG_QUESTION = 'Explain how Maestro streams answers.';

type Run = {
  parts: Array<TextStreamPart<ToolSet>>;
  deltas: string[];
  text: string;
  toolCalls: Array<{ toolName: string; input: unknown }>;
};

async function run(
  question: string,
  options: { delayMs?: number; tools?: ToolSet; abortSignal?: AbortSignal; steps?: number } = {},
): Promise<Run> {
  const result = streamText({
    model: createOfflineModel({ delayMs: options.delayMs ?? 0 }),
    prompt: question,
    tools: options.tools ?? tools,
    stopWhen: isStepCount(options.steps ?? 5),
    abortSignal: options.abortSignal,
  });
  const parts: Array<TextStreamPart<ToolSet>> = [];
  for await (const part of result.stream) parts.push(part);
  const deltas = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : []));
  const toolCalls = parts.flatMap((part) => (part.type === 'tool-call' ? [{ toolName: part.toolName, input: part.input }] : []));
  return { parts, deltas, text: deltas.join(''), toolCalls };
}

function callOptions(question: string, withTools = true): LanguageModelV4CallOptions {
  return {
    prompt: [{ role: 'user', content: [{ type: 'text', text: question }] }],
    tools: withTools
      ? (['calculator', 'current_time', 'list_files', 'read_file'] as const).map((name) => ({
          type: 'function' as const,
          name,
          inputSchema: { type: 'object' as const },
        }))
      : undefined,
  };
}

async function readAll(stream: ReadableStream<LanguageModelV4StreamPart>): Promise<LanguageModelV4StreamPart[]> {
  const parts: LanguageModelV4StreamPart[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return parts;
    parts.push(value);
  }
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

describe('answers from denied and written files', () => {
  const denied = (reason?: string) =>
    answerToolResult({
      type: 'tool-result',
      toolCallId: 'c',
      toolName: 'write_file',
      output: { type: 'execution-denied', ...(reason ? { reason } : {}) },
    });

  it('says plainly that the tool did not run, and why', () => {
    expect(denied('not in this folder')).toBe(
      'I did not run the `write_file` tool: the call was denied, with the reason: “not in this folder”. Nothing was done, so I have no result to report.',
    );
    expect(denied()).toContain('I did not run the `write_file` tool: the call was denied (no reason was given).');
  });

  it('reports a written file', () => {
    const written = answerToolResult({
      type: 'tool-result',
      toolCallId: 'c',
      toolName: 'write_file',
      output: { type: 'json', value: { path: 'hello.txt', bytes: 14, created: true } },
    });
    expect(written).toBe('I created `hello.txt` in the workspace (14 bytes). Ask me to read it to check.');
  });
});

describe('question → tool choice', () => {
  it.each([
    ['What is 17 * 23?', { toolName: 'calculator', input: { expression: '17 * 23' } }],
    ['calculate (2+3)^4', { toolName: 'calculator', input: { expression: '(2+3)^4' } }],
    ['sqrt(144)', { toolName: 'calculator', input: { expression: 'sqrt(144)' } }],
    ['What is 12 times 4 plus 2?', { toolName: 'calculator', input: { expression: '12 * 4 + 2' } }],
    ['What is 15% of 80?', { toolName: 'calculator', input: { expression: '15% * 80' } }],
    ['What time is it in Tokyo?', { toolName: 'current_time', input: { timeZone: 'Asia/Tokyo' } }],
    ["what's the date in New York", { toolName: 'current_time', input: { timeZone: 'America/New_York' } }],
    ['What time is it in London right now?', { toolName: 'current_time', input: { timeZone: 'Europe/London' } }],
    ['Current time in Europe/Lisbon?', { toolName: 'current_time', input: { timeZone: 'Europe/Lisbon' } }],
    ['What time is it?', { toolName: 'current_time', input: { timeZone: 'UTC' } }],
    ['What files are in the workspace?', { toolName: 'list_files', input: { path: '.' } }],
    ['list files', { toolName: 'list_files', input: { path: '.' } }],
    ['What is in the plans folder? List the files.', { toolName: 'list_files', input: { path: 'plans' } }],
    ['Read notes.md', { toolName: 'read_file', input: { path: 'notes.md' } }],
    ['show me the contents of data/weekly-orders.csv', { toolName: 'read_file', input: { path: 'data/weekly-orders.csv' } }],
    ['Please open `plans/timeline.md`.', { toolName: 'read_file', input: { path: 'plans/timeline.md' } }],
    ['Read ../etc/passwd', { toolName: 'read_file', input: { path: '../etc/passwd' } }],
    [
      'Create a file hello.txt containing Hello, Maestro',
      { toolName: 'write_file', input: { path: 'hello.txt', content: 'Hello, Maestro' } },
    ],
    [
      'please write notes/todo.md with the content: "- milk"',
      { toolName: 'write_file', input: { path: 'notes/todo.md', content: '- milk' } },
    ],
    ['Save ../escape.txt saying hi', { toolName: 'write_file', input: { path: '../escape.txt', content: 'hi' } }],
  ])('%s', (question, expected) => {
    expect(detectIntent(question)).toEqual(expected);
  });

  it.each([
    'Explain how Maestro streams answers.',
    'hello',
    'What is 2024?',
    'Tell me a joke',
    "What's the time complexity of quicksort?",
    'Create a file hello.txt',
    '',
  ])('no tool for %j', (question) => {
    expect(detectIntent(question)).toBeNull();
  });

  it('maps places to IANA zones', () => {
    expect(timeZoneFor('time in Sydney')).toBe('Australia/Sydney');
    expect(timeZoneFor('time in São Paulo')).toBe('America/Sao_Paulo');
    expect(timeZoneFor('what time is it in LA')).toBe('America/Los_Angeles');
    expect(timeZoneFor('what time is it in la paz of mind')).toBe('UTC');
    expect(timeZoneFor('is it late in berlin')).toBe('Europe/Berlin');
  });

  it('extracts only arithmetic', () => {
    expect(extractExpression('What is 1,000 * 3?')).toBe('1000 * 3');
    expect(extractExpression('(what is 2 + 2)')).toBe('2 + 2');
    expect(extractExpression('Count from 1 to 10')).toBeNull();
    // An unfinished expression is passed on as it is, so the calculator can say what is wrong.
    expect(extractExpression('What is 2 +')).toBe('2 +');
  });
});

describe('offline model through the AI SDK', () => {
  it('calls the calculator for arithmetic, then answers with the result', async () => {
    const result = await run('What is 17 * 23?');
    expect(result.toolCalls).toEqual([{ toolName: 'calculator', input: { expression: '17 * 23' } }]);
    const toolResult = result.parts.find((part) => part.type === 'tool-result');
    expect(toolResult).toMatchObject({ toolName: 'calculator', output: { expression: '17 * 23', result: '391' } });
    expect(result.text).toContain('`17 * 23` = **391**.');
    const finishes = result.parts.flatMap((part) => (part.type === 'finish-step' ? [part.finishReason] : []));
    expect(finishes).toEqual(['tool-calls', 'stop']);
  });

  it('runs the full loop in a ToolLoopAgent', async () => {
    const agent = new ToolLoopAgent({ model: createOfflineModel({ delayMs: 0 }), tools });
    const result = await agent.generate({ prompt: 'What is 17 * 23?' });
    expect(result.steps).toHaveLength(2);
    expect(result.text).toContain('391');
  });

  it('asks current_time for Tokyo and states the time there', async () => {
    const result = await run('What time is it in Tokyo?');
    expect(result.toolCalls).toEqual([{ toolName: 'current_time', input: { timeZone: 'Asia/Tokyo' } }]);
    expect(result.text).toMatch(/In \*\*Asia\/Tokyo\*\* it is currently \*\*\w+day, \d{1,2} \w+ \d{4}, \d\d:\d\d:\d\d GMT\+9\*\*/);
  });

  it('lists the workspace with progress and summarises it as a markdown list', async () => {
    const result = await run('What files are in the workspace?');
    expect(result.toolCalls).toEqual([{ toolName: 'list_files', input: { path: '.' } }]);
    const outputs = result.parts.flatMap((part) => (part.type === 'tool-result' ? [part] : []));
    expect(outputs.some((part) => part.preliminary === true)).toBe(true);
    expect(outputs.at(-1)?.preliminary).not.toBe(true);
    expect(result.text).toMatch(/^The workspace contains \d+ files and \d+ folders/);
    expect(result.text).toContain('- `notes.md`');
    expect(result.text).toContain('  - `weekly-orders.csv`');
  });

  it('reads notes.md and quotes it in a code block', async () => {
    const result = await run('Read notes.md');
    expect(result.toolCalls).toEqual([{ toolName: 'read_file', input: { path: 'notes.md' } }]);
    expect(result.text).toContain('Here is `notes.md`');
    expect(result.text).toMatch(/^`{3,}markdown$/m);
    expect(result.text).toContain('# Project notes');
  });

  it('says plainly when a tool fails, and why', async () => {
    const missing = await run('Read missing.md');
    expect(missing.text).toContain('The `read_file` tool failed: No such file or folder in the workspace: "missing.md".');

    const escape = await run('Read ../etc/passwd');
    expect(escape.toolCalls).toEqual([{ toolName: 'read_file', input: { path: '../etc/passwd' } }]);
    expect(escape.text).toMatch(/tool failed: .*outside the workspace/);
  });

  it('uses no tool for a general question and gives a long markdown answer', async () => {
    const result = await run(LONG_QUESTION);
    expect(result.toolCalls).toEqual([]);
    expect(result.parts.filter((part) => part.type === 'start-step')).toHaveLength(1);
    expect(result.text).toMatch(/^## How Maestro streams answers\n/);
    expect(result.text).toMatch(/^### /m);
    expect(result.text).toMatch(/^- \*\*/m);
    expect(result.text).toMatch(/^```bash\n[\s\S]+?\n```$/m);
    expect(result.text).toMatch(/^\| --- \| --- \| --- \|$/m);
    expect(result.text).toContain('GOOGLE_GENERATIVE_AI_API_KEY');
    expect(result.text).toContain('`local:<model>`');
    const words = wordCount(result.text);
    expect(words).toBeGreaterThanOrEqual(400);
    expect(words).toBeLessThanOrEqual(650);
  });

  it('stretches an answer to a requested length, in the same markdown shapes', async () => {
    const result = await run('Explain how Maestro streams answers, in about 4,000 words.');
    const words = wordCount(result.text);
    expect(words).toBeGreaterThanOrEqual(4000);
    expect(words).toBeLessThan(4100);
    expect(result.text).toMatch(/^## How Maestro streams answers\n/);
    expect(result.text.match(/^### Part \d+: /gm)?.length).toBeGreaterThan(20);
    expect(result.text.match(/^```ts$/gm)?.length).toBe(result.text.match(/^### Part /gm)?.length);
    expect(requestedWords('write 1200 words')).toBe(1200);
    expect(requestedWords('in 3 words')).toBe(50);
    expect(requestedWords('a million words: 1,000,000 words')).toBe(20_000);
    expect(requestedWords('What is 17 * 23?')).toBeUndefined();
  });

  it('calls a tool and then answers at the requested length', async () => {
    const result = await run('What is 17 * 23? Explain in 600 words.');
    expect(result.toolCalls).toEqual([{ toolName: 'calculator', input: { expression: '17 * 23' } }]);
    expect(result.text).toContain('**391**');
    expect(wordCount(result.text)).toBeGreaterThanOrEqual(600);
    expect(wordCount(result.text)).toBeLessThan(700);
  });

  it('does not call a tool that the call does not offer', async () => {
    const result = await run('What is 17 * 23?', { tools: {} });
    expect(result.toolCalls).toEqual([]);
    expect(result.text).toContain('not enabled in this conversation');
  });

  it('is deterministic: the same input gives the same stream of text', async () => {
    const first = await run(LONG_QUESTION);
    const second = await run(LONG_QUESTION);
    expect(second.deltas).toEqual(first.deltas);

    const a = await run('What is 17 * 23?');
    const b = await run('What is 17 * 23?');
    expect(b.deltas).toEqual(a.deltas);
    expect(b.parts.find((part) => part.type === 'tool-call')).toEqual(a.parts.find((part) => part.type === 'tool-call'));
  });

  it('streams one word per delta, and the deltas join back to the text', async () => {
    const started = performance.now();
    const result = await run(LONG_QUESTION, { delayMs: 0 });
    const elapsed = performance.now() - started;
    expect(result.deltas.length).toBe(splitWords(result.text).length);
    expect(result.deltas.length).toBeGreaterThan(400);
    for (const delta of result.deltas) expect(delta).toMatch(/^\s*\S+\s*$/);
    expect(elapsed).toBeLessThan(1500);
  });

  it('reports usage: prompt words in, streamed words (reasoning and text) out', async () => {
    const result = await run(LONG_QUESTION);
    const finish = result.parts.find((part) => part.type === 'finish');
    const reasoningDeltas = result.parts.filter((part) => part.type === 'reasoning-delta').length;
    expect(reasoningDeltas).toBeGreaterThan(0);
    expect(finish?.type === 'finish' && finish.totalUsage.outputTokens).toBe(result.deltas.length + reasoningDeltas);
    expect(finish?.type === 'finish' && finish.totalUsage.outputTokenDetails.reasoningTokens).toBe(reasoningDeltas);
    expect(finish?.type === 'finish' && finish.totalUsage.inputTokens).toBe(5);
  });

  it('generates the same content without streaming', async () => {
    const streamed = await run(LONG_QUESTION);
    const generated = await generateText({ model: createOfflineModel({ delayMs: 0 }), prompt: LONG_QUESTION, tools });
    expect(generated.text).toBe(streamed.text);

    const withTool = await generateText({
      model: createOfflineModel({ delayMs: 0 }),
      prompt: 'What is 17 * 23?',
      tools,
      stopWhen: isStepCount(3),
    });
    expect(withTool.steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(withTool.text).toContain('**391**');
  });
});

/** The reasoning of each step, in order: the deltas between each reasoning start and end. */
function reasoningOf(parts: Array<TextStreamPart<ToolSet>>): string[] {
  const texts: string[] = [];
  for (const part of parts) {
    if (part.type === 'reasoning-start') texts.push('');
    else if (part.type === 'reasoning-delta') texts[texts.length - 1] += part.text;
  }
  return texts;
}

describe('offline model reasoning', () => {
  it('says which tool it will use, with what, and why, before the call; then that it answers from the result', async () => {
    const result = await run('What is 17 * 23?');
    expect(reasoningOf(result.parts)).toEqual([
      'The question is arithmetic: “17 * 23”. I will use the calculator tool to evaluate it exactly instead of working it out myself.',
      'The calculator tool returned its result. I have what I need, so I will answer from it directly, without another tool call.',
    ]);
    const types = result.parts.map((part) => part.type);
    expect(types.indexOf('reasoning-end')).toBeLessThan(types.indexOf('tool-call'));
    expect(types.lastIndexOf('reasoning-end')).toBeLessThan(types.indexOf('text-start'));
  });

  it('names the time zone, the folder or the file it will look at', async () => {
    expect(reasoningOf((await run('What time is it in Tokyo?')).parts)[0]).toBe(
      'The question asks for the current time or date in Asia/Tokyo. I have no clock of my own, so I will use the current_time tool for that time zone.',
    );
    expect(reasoningOf((await run('What files are in the workspace?')).parts)[0]).toContain(
      'what is in the workspace. I will use the list_files tool',
    );
    expect(reasoningOf((await run('Read notes.md')).parts)[0]).toContain('the file “notes.md”. I will use the read_file tool');
  });

  it('says why it answers directly: no tool fits, or the one that fits is not offered', async () => {
    expect(reasoningOf((await run(LONG_QUESTION)).parts)).toEqual([
      'No tool fits this question: it is not arithmetic, a time or date question, or about the files of the workspace. I will answer directly with what I know about Maestro.',
    ]);
    expect(reasoningOf((await run('What is 17 * 23?', { tools: {} })).parts)).toEqual([
      'This question calls for the calculator tool, which is not enabled in this conversation. I will answer directly and say that I cannot run it.',
    ]);
  });

  it('says when a tool failed, and notes a requested length', async () => {
    const failed = reasoningOf((await run('Read missing.md')).parts);
    expect(failed[1]).toBe('The read_file tool failed, so I will say what went wrong instead of guessing an answer.');
    const long = reasoningOf((await run('What is 17 * 23? Explain in 600 words.')).parts);
    expect(long[1]).toMatch(
      /answer from it directly, without another tool call\. The question asks for about 600 words, so the answer will be that long\.$/,
    );
  });

  it('is deterministic and part of the non-streamed result too', async () => {
    const first = reasoningOf((await run('What is 17 * 23?')).parts);
    expect(reasoningOf((await run('What is 17 * 23?')).parts)).toEqual(first);
    const generated = await generateText({ model: createOfflineModel({ delayMs: 0 }), prompt: LONG_QUESTION, tools });
    expect(generated.reasoningText).toBe(reasoningOf((await run(LONG_QUESTION)).parts)[0]);
  });
});

describe('offline model stream (LanguageModelV4)', () => {
  it('streams a tool call as input start, deltas, end and call', async () => {
    const model = createOfflineModel({ delayMs: 0 });
    expect(model).toMatchObject({ specificationVersion: 'v4', provider: 'offline', modelId: 'maestro', supportedUrls: {} });
    const { stream } = await model.doStream(callOptions('What is 17 * 23?'));
    const parts = await readAll(stream);
    const types = parts.map((part) => part.type);
    const reasoningDeltas = types.filter((type) => type === 'reasoning-delta').length;
    expect(reasoningDeltas).toBeGreaterThan(5);
    expect(types).toEqual([
      'stream-start',
      'response-metadata',
      'reasoning-start',
      ...Array<string>(reasoningDeltas).fill('reasoning-delta'),
      'reasoning-end',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-delta',
      'tool-input-end',
      'tool-call',
      'finish',
    ]);
    const input = parts.flatMap((part) => (part.type === 'tool-input-delta' ? [part.delta] : [])).join('');
    expect(input).toBe('{"expression":"17 * 23"}');
    expect(parts.find((part) => part.type === 'tool-call')).toMatchObject({ toolName: 'calculator', input });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls' } });
  });

  it('answers in text when the call has no tools', async () => {
    const model = createOfflineModel({ delayMs: 0 });
    const parts = await readAll((await model.doStream(callOptions('What is 17 * 23?', false))).stream);
    expect(parts.some((part) => part.type === 'tool-call')).toBe(false);
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'stop', raw: 'stop' },
      // "What", "is", "17", "23": words approximate tokens.
      usage: { inputTokens: { total: 4 }, outputTokens: { reasoning: parts.filter((part) => part.type === 'reasoning-delta').length } },
    });
  });

  it('spaces words by the configured delay', async () => {
    const delayMs = 25;
    const model = createOfflineModel({ delayMs });
    const { stream } = await model.doStream(callOptions(LONG_QUESTION, false));
    const reader = stream.getReader();
    const times: number[] = [];
    while (times.length < 12) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.type === 'text-delta') times.push(performance.now());
    }
    await reader.cancel();
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    // 11 gaps of 25 ms; timers never fire early, allow a little scheduling slack.
    expect(span).toBeGreaterThanOrEqual(11 * delayMs * 0.9);
    expect(span).toBeLessThan(11 * delayMs * 10);
  });

  it('stops promptly and errors with an AbortError when aborted', async () => {
    const model = createOfflineModel({ delayMs: 20 });
    const controller = new AbortController();
    const { stream } = await model.doStream({ ...callOptions(LONG_QUESTION, false), abortSignal: controller.signal });
    const reader = stream.getReader();
    let deltas = 0;
    while (deltas < 3) {
      const { done, value } = await reader.read();
      if (done) throw new Error('ended early');
      if (value.type === 'text-delta') deltas += 1;
    }
    const abortedAt = performance.now();
    setTimeout(() => controller.abort(), 5);
    await expect(
      (async () => {
        for (;;) {
          const { done } = await reader.read();
          if (done) return;
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - abortedAt).toBeLessThan(200);
  });

  it('refuses to start when already aborted', async () => {
    const model = createOfflineModel({ delayMs: 0 });
    await expect(model.doStream({ ...callOptions('hi'), abortSignal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('ends an AI SDK stream early when aborted', async () => {
    const controller = new AbortController();
    const result = streamText({
      model: createOfflineModel({ delayMs: 10 }),
      prompt: LONG_QUESTION,
      abortSignal: controller.signal,
    });
    const started = performance.now();
    const parts: Array<TextStreamPart<ToolSet>> = [];
    for await (const part of result.stream) {
      parts.push(part);
      if (parts.filter((p) => p.type === 'text-delta').length === 5) controller.abort();
    }
    const deltas = parts.filter((part) => part.type === 'text-delta');
    expect(deltas.length).toBeLessThan(10);
    expect(parts.some((part) => part.type === 'abort')).toBe(true);
    expect(parts.some((part) => part.type === 'finish')).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

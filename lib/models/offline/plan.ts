import type { LanguageModelV4CallOptions, LanguageModelV4Prompt, LanguageModelV4ToolResultPart } from '@ai-sdk/provider';
import { answerToolResults } from '@/lib/models/offline/answers';
import { guideAnswer } from '@/lib/models/offline/guide';
import { detectIntent } from '@/lib/models/offline/intent';
import { namedToolCall } from '@/lib/models/offline/named-tool';
import { requestedWords, stretchTo } from '@/lib/models/offline/length';
import { reasoningForDirectAnswer, reasoningForResults, reasoningForToolCall } from '@/lib/models/offline/reasoning';

/**
 * What the offline model will say for a call: a text answer or one tool call, each preceded by its
 * reasoning (why this answer, or why this tool).
 */
export type Plan = { reasoning: string } & (
  { kind: 'text'; text: string } | { kind: 'tool-call'; toolCallId: string; toolName: string; input: string }
);

/** A small, stable 53-bit string hash (cyrb53), as 14 hex digits. */
export function stableHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** The prompt as a string, for hashing and word counting (binary file data is reduced to its size). */
export function promptText(prompt: LanguageModelV4Prompt): string {
  return JSON.stringify(prompt, (_key, value: unknown) => (value instanceof Uint8Array ? `<${value.byteLength} bytes>` : value));
}

/** The text of the last user message ('' when there is none). */
export function lastUserText(prompt: LanguageModelV4Prompt): string {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const message = prompt[i];
    if (message?.role !== 'user') continue;
    return message.content
      .flatMap((part) => (part.type === 'text' ? [part.text] : []))
      .join('\n')
      .trim();
  }
  return '';
}

/** The tool results the prompt ends with (the last step's), or [] when it does not end with any. */
export function trailingToolResults(prompt: LanguageModelV4Prompt): LanguageModelV4ToolResultPart[] {
  const results: LanguageModelV4ToolResultPart[] = [];
  for (let i = prompt.length - 1; i >= 0; i--) {
    const message = prompt[i];
    if (!message || message.role !== 'tool') break;
    const parts = message.content.filter((part): part is LanguageModelV4ToolResultPart => part.type === 'tool-result');
    results.unshift(...parts);
  }
  return results;
}

/** The function tools this call may use, after `toolChoice`. */
export function availableTools(options: Pick<LanguageModelV4CallOptions, 'tools' | 'toolChoice'>): Set<string> {
  const names = new Set((options.tools ?? []).flatMap((tool) => (tool.type === 'function' ? [tool.name] : [])));
  const choice = options.toolChoice;
  if (choice?.type === 'none') return new Set();
  if (choice?.type === 'tool') return names.has(choice.toolName) ? new Set([choice.toolName]) : new Set();
  return names;
}

/** Decides the response to a call. Pure: the same prompt and tools give the same plan. */
export function planResponse(options: Pick<LanguageModelV4CallOptions, 'prompt' | 'tools' | 'toolChoice'>): Plan {
  const question = lastUserText(options.prompt);
  // A question that asks for a length ("… in about 4000 words") gets an answer that long.
  const words = requestedWords(question);
  const text = (answer: string, reasoning: string) => ({
    kind: 'text' as const,
    text: words === undefined ? answer : stretchTo(answer, words),
    reasoning,
  });

  const results = trailingToolResults(options.prompt);
  if (results.length > 0) return text(answerToolResults(results), reasoningForResults(results, words));

  const toolCallId = `call_${stableHash(promptText(options.prompt))}`;
  const named = namedToolCall(question, availableTools(options));
  if (named) {
    return {
      kind: 'tool-call',
      reasoning: `The message names the ${named.toolName} tool and gives its input, so I will call it with exactly that input.`,
      toolCallId,
      toolName: named.toolName,
      input: JSON.stringify(named.input),
    };
  }

  const intent = detectIntent(question);
  if (!intent) return text(guideAnswer(question), reasoningForDirectAnswer(undefined, words));
  if (!availableTools(options).has(intent.toolName)) {
    return text(guideAnswer(question, intent.toolName), reasoningForDirectAnswer(intent.toolName, words));
  }
  return {
    kind: 'tool-call',
    reasoning: reasoningForToolCall(intent),
    toolCallId,
    toolName: intent.toolName,
    input: JSON.stringify(intent.input),
  };
}

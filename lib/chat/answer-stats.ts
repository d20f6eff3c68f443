import type { Metadata } from '@/lib/chat/types';

/** One tool call of an answer, by its id, as the message's tool parts name it. */
export type ToolCallRef = { callId: string; name: string };

/** What the answer details show; a figure the answer did not record is left out. */
export type AnswerStats = {
  /** From the start of the answer to its first token (reasoning or text). */
  ttftMs?: number;
  tokensPerSecond?: number;
  inputTokens?: number;
  outputTokens?: number;
  tools: Array<{ callId: string; name: string; durationMs: number }>;
};

/**
 * Output tokens per second of generation: from the first token to the end of the answer, without
 * the time its tools ran (the model was waiting). Undefined when a figure is missing or no time
 * is left to divide by.
 */
export function tokensPerSecond(metadata: Metadata): number | undefined {
  const outputTokens = metadata.usage?.outputTokens;
  if (outputTokens === undefined || metadata.durationMs === undefined) return undefined;
  const toolMs = Object.values(metadata.toolDurationsMs ?? {}).reduce((sum, ms) => sum + ms, 0);
  const generatingMs = metadata.durationMs - (metadata.ttftMs ?? 0) - toolMs;
  if (generatingMs <= 0) return undefined;
  return outputTokens / (generatingMs / 1000);
}

export function answerStats(metadata: Metadata, toolCalls: ToolCallRef[]): AnswerStats {
  const durations = metadata.toolDurationsMs ?? {};
  return {
    ttftMs: metadata.ttftMs,
    tokensPerSecond: tokensPerSecond(metadata),
    inputTokens: metadata.usage?.inputTokens,
    outputTokens: metadata.usage?.outputTokens,
    tools: toolCalls.flatMap(({ callId, name }) => {
      const durationMs = durations[callId];
      return durationMs === undefined ? [] : [{ callId, name, durationMs }];
    }),
  };
}

/** Whether the stats hold anything to show. */
export function hasAnswerStats(stats: AnswerStats): boolean {
  return (
    stats.ttftMs !== undefined ||
    stats.tokensPerSecond !== undefined ||
    stats.inputTokens !== undefined ||
    stats.outputTokens !== undefined ||
    stats.tools.length > 0
  );
}

/** "38 tokens/s", "4.2 tokens/s": one decimal below 10. */
export function formatRate(perSecond: number): string {
  return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en-US')} tokens/s`;
}

/** "Thought for 0.6 s", "Thought for 12 s": seconds, one decimal below 10 (at least 0.1). */
export function formatSeconds(ms: number): string {
  const seconds = Math.max(0.1, ms / 1000);
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}

import { convertToModelMessages, generateId, toUIMessageStream, type LanguageModelUsage, type TextStreamPart, type ToolSet } from 'ai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { createAgent } from '@/lib/agent/agent';
import { describeModelError } from '@/lib/agent/errors';
import { withStatus, type StreamChunk } from '@/lib/chat/status';
import type { ChatMessage, Metadata, Outcome } from '@/lib/chat/types';
import type { Store } from '@/lib/store/types';
import { tools } from '@/lib/tools';

export type TurnOptions = {
  chatId: string;
  /** The whole conversation, ending with the new user message. */
  history: ChatMessage[];
  modelId: string;
  model: LanguageModelV4;
  store: Store;
  maxSteps: number;
  timeoutMs: number;
  /** Aborts the model call and running tools. */
  signal: AbortSignal;
};

/** Measures one turn as its stream goes by: the figures that become the message's metadata. */
class TurnClock {
  readonly startedAt = Date.now();
  private firstTextAt: number | undefined;
  private readonly toolStartedAt = new Map<string, number>();
  private readonly toolDurationsMs: Record<string, number> = {};
  private usage: LanguageModelUsage | undefined;
  failed = false;

  constructor(private readonly modelId: string) {}

  /** Called for every part of the agent's stream; returns metadata to send with it, if any. */
  observe(part: TextStreamPart<ToolSet>): Metadata | undefined {
    const now = Date.now();
    switch (part.type) {
      case 'start':
        return { model: this.modelId, createdAt: this.startedAt };
      case 'text-delta':
        if (this.firstTextAt !== undefined) return undefined;
        this.firstTextAt = now;
        return { ttftMs: now - this.startedAt };
      case 'tool-call':
        this.toolStartedAt.set(part.toolCallId, now);
        return undefined;
      case 'tool-result':
      case 'tool-error': {
        if (part.type === 'tool-result' && part.preliminary) return undefined;
        const started = this.toolStartedAt.get(part.toolCallId) ?? now;
        this.toolDurationsMs[part.toolCallId] = now - started;
        return { toolDurationsMs: { ...this.toolDurationsMs } };
      }
      // A failed or stopped turn has no `finish`: its closing figures go out here, so the live
      // message and the saved one agree.
      case 'error':
        this.failed = true;
        return this.summary('error');
      case 'abort':
        if (part.reason?.includes('TimeoutError')) this.failed = true;
        return this.summary(this.failed ? 'error' : 'stopped');
      case 'finish':
        this.usage = part.totalUsage;
        return this.summary(this.failed ? 'error' : 'complete');
      default:
        return undefined;
    }
  }

  summary(outcome: Outcome): Metadata {
    return {
      model: this.modelId,
      createdAt: this.startedAt,
      ...(this.firstTextAt !== undefined ? { ttftMs: this.firstTextAt - this.startedAt } : {}),
      durationMs: Date.now() - this.startedAt,
      usage: { inputTokens: this.usage?.inputTokens, outputTokens: this.usage?.outputTokens },
      outcome,
      toolDurationsMs: { ...this.toolDurationsMs },
    };
  }
}

export type TurnEnd = { outcome: Outcome; error: string | null; messageId: string };

/**
 * Runs the agent for one turn and returns its UI message stream, with `data-status` parts derived
 * from it. The assistant message is saved when the stream ends, whatever the ending; `ended`
 * settles after that save.
 */
export async function streamTurn(options: TurnOptions): Promise<{ stream: ReadableStream<StreamChunk>; ended: Promise<TurnEnd> }> {
  const clock = new TurnClock(options.modelId);
  const ended = Promise.withResolvers<TurnEnd>();
  let errorText: string | null = null;
  const agent = createAgent(options.model, { maxSteps: options.maxSteps });
  const result = await agent.stream({
    messages: await convertToModelMessages(options.history, { tools, ignoreIncompleteToolCalls: true }),
    abortSignal: options.signal,
    timeout: { totalMs: options.timeoutMs },
  });

  const uiStream = toUIMessageStream<ToolSet, ChatMessage>({
    stream: result.stream,
    originalMessages: options.history,
    generateMessageId: generateId,
    messageMetadata: ({ part }) => clock.observe(part),
    onError: (error) => (errorText = describeModelError(error)),
    // Tool errors are the tools' own safe messages; the card shows them and the model reads them.
    redactToolErrors: false,
    onEnd: async ({ responseMessage, isAborted, isCancelled }) => {
      const outcome: Outcome = clock.failed ? 'error' : isAborted || isCancelled ? 'stopped' : 'complete';
      const message: ChatMessage = { ...responseMessage, metadata: { ...responseMessage.metadata, ...clock.summary(outcome) } };
      try {
        await options.store.saveMessage(options.chatId, message);
      } catch (error) {
        console.error(`[maestro] could not save the answer in chat ${options.chatId}:`, error);
      }
      ended.resolve({ outcome, error: outcome === 'error' ? (errorText ?? 'The answer took longer than the time limit.') : null, messageId: message.id });
    },
  });
  const stream = uiStream.pipeThrough(timeoutAsError(options.timeoutMs)).pipeThrough(withStatus(clock.startedAt));
  return { stream, ended: ended.promise };
}

/** A run that hits its time limit failed; the client should see an error it can retry, not a stop. */
function timeoutAsError(timeoutMs: number): TransformStream<StreamChunk, StreamChunk> {
  return new TransformStream<StreamChunk, StreamChunk>({
    transform(chunk, controller) {
      if (chunk.type === 'abort' && chunk.reason?.includes('TimeoutError')) {
        controller.enqueue({ type: 'error', errorText: `The answer took longer than the time limit (${Math.round(timeoutMs / 1000)} s).` });
      } else {
        controller.enqueue(chunk);
      }
    },
  });
}

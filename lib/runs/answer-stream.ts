import { convertToModelMessages, generateId, toUIMessageStream, type LanguageModelUsage, type TextStreamPart, type ToolSet } from 'ai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { agentToolset, streamAgentAnswer } from '@/lib/agent/agent';
import { toolApprovalSecret } from '@/lib/auth/approval-secret';
import { describeModelError } from '@/lib/agent/errors';
import { withCoalescedDeltas } from '@/lib/agent/coalesce';
import { withRetries } from '@/lib/agent/retry';
import { AnswerTimeLimits, type TimeLimit } from '@/lib/agent/time-limits';
import type { StreamChunk } from '@/lib/chat/status';
import { withStatus } from '@/lib/runs/status-stream';
import { yieldIfShareUsedUp } from '@/lib/runs/event-loop-share';
import type { ChatMessage, Metadata, Outcome, Status } from '@/lib/chat/types';
import { retryWhileUnavailable } from '@/lib/store/retry';
import type { Store } from '@/lib/store/types';
import { approvalRules, type ApprovalOverrides } from '@/lib/tools/policy';
import { writePreview } from '@/lib/tools/write-preview';

export type AnswerOptions = {
  chatId: string;
  /**
   * The conversation the model sees (the active path), ending with the user message it answers,
   * or with the answer it continues (an approval answered: that answer goes on, under its own id).
   */
  history: ChatMessage[];
  /** The id of the user message answered: the answer is saved below it. */
  replyTo: string;
  modelId: string;
  model: LanguageModelV4;
  store: Store;
  maxSteps: number;
  timeoutMs: number;
  /** Longest the model may stay silent (before its first output, or between two chunks). */
  chunkTimeoutMs: number;
  /** Longest one tool call may take; past it the call fails and the agent goes on. */
  toolTimeoutMs: number;
  /** Retries of a transient provider error before the answer started streaming. */
  modelRetries: number;
  maxOutputTokens: number;
  /** Text deltas within this window are sent as one (0: as the model sent them). */
  coalesceMs?: number;
  /** Wait before the first retry (doubled for each next one); a provider's `retry-after` wins. */
  retryDelayMs?: number;
  /** Whether the `fetch_url` tool is offered to the model. */
  fetchUrlEnabled: boolean;
  /** Approval policies that replace the defaults (MAESTRO_TOOL_APPROVAL). */
  approvalOverrides?: ApprovalOverrides;
  /** Tools the user allowed for the whole chat: their calls run without asking. */
  allowedTools?: ReadonlySet<string>;
  /** Aborts the model call and running tools. */
  signal: AbortSignal;
  /** The status the run was started with (already sent), so the stream does not repeat it. */
  initialStatus?: Status;
};

/** Measures one answer as its stream goes by: the figures that become the message's metadata. */
class AnswerClock {
  readonly startedAt = Date.now();
  /** When the first token the reader sees (reasoning or text) came. */
  private firstTokenAt: number | undefined;
  private readonly toolStartedAt = new Map<string, number>();
  private readonly toolDurationsMs: Record<string, number> = {};
  /** Reasoning parts in the order they started: when, and how long once ended. */
  private readonly reasoning: Array<{ startedAt: number; durationMs?: number }> = [];
  private readonly openReasoning = new Map<string, number>();
  private usage: LanguageModelUsage | undefined;
  /** Set by an error part, or by an abort that a time limit caused. */
  private failed = false;

  constructor(
    private readonly modelId: string,
    /** Whether a time limit cut the answer short: its abort is a failure, not a stop. */
    private readonly timedOut: () => boolean,
  ) {}

  /** How the answer ended, given whether its stream was aborted or cancelled. */
  outcome(stopped: boolean): Outcome {
    return this.failed ? 'error' : stopped ? 'stopped' : 'complete';
  }

  /** Called for every part of the agent's stream; returns metadata to send with it, if any. */
  observe(part: TextStreamPart<ToolSet>): Metadata | undefined {
    const now = Date.now();
    switch (part.type) {
      case 'start':
        return { model: this.modelId, createdAt: this.startedAt };
      case 'text-delta':
      case 'reasoning-delta':
        if (this.firstTokenAt !== undefined) return undefined;
        this.firstTokenAt = now;
        return { ttftMs: now - this.startedAt };
      case 'reasoning-start':
        this.openReasoning.set(part.id, this.reasoning.length);
        this.reasoning.push({ startedAt: now });
        return undefined;
      case 'reasoning-end': {
        const index = this.openReasoning.get(part.id);
        const entry = index === undefined ? undefined : this.reasoning[index];
        if (!entry) return undefined;
        this.openReasoning.delete(part.id);
        entry.durationMs = now - entry.startedAt;
        return { reasoningMs: this.reasoningDurations() };
      }
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
      // A failed or stopped answer has no `finish`: its closing figures go out here, so the live
      // message and the saved one agree.
      case 'error':
        this.failed = true;
        return this.summary('error');
      case 'abort':
        if (this.timedOut()) this.failed = true;
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
      ...(this.firstTokenAt !== undefined ? { ttftMs: this.firstTokenAt - this.startedAt } : {}),
      durationMs: Date.now() - this.startedAt,
      usage: { inputTokens: this.usage?.inputTokens, outputTokens: this.usage?.outputTokens },
      outcome,
      toolDurationsMs: { ...this.toolDurationsMs },
      ...(this.reasoning.length > 0 ? { reasoningMs: this.reasoningDurations(Date.now()) } : {}),
    };
  }

  /**
   * The durations of the reasoning parts that have ended, in order, up to the first still open
   * (which `endedBy`, when given, ends: an answer that stops mid-thought).
   */
  private reasoningDurations(endedBy?: number): number[] {
    const durations: number[] = [];
    for (const entry of this.reasoning) {
      const duration = entry.durationMs ?? (endedBy === undefined ? undefined : endedBy - entry.startedAt);
      if (duration === undefined) break;
      durations.push(duration);
    }
    return durations;
  }
}

export type AnswerEnd = { outcome: Outcome; error: string | null };

/**
 * Runs the agent for one answer and returns its UI message stream, with `data-status` parts derived
 * from it. The assistant message is saved when the stream ends, whatever the ending; `ended`
 * settles after that save.
 */
export async function streamAnswer(options: AnswerOptions): Promise<{ stream: ReadableStream<StreamChunk>; ended: Promise<AnswerEnd> }> {
  const ended = Promise.withResolvers<AnswerEnd>();
  let errorText: string | null = null;
  const { tools, catalog } = await agentToolset({
    toolTimeoutMs: options.toolTimeoutMs,
    fetchUrlEnabled: options.fetchUrlEnabled,
    overrides: options.approvalOverrides,
  });
  const messages = await convertToModelMessages(options.history, { tools, ignoreIncompleteToolCalls: true });
  const limits = new AnswerTimeLimits({ totalMs: options.timeoutMs, chunkMs: options.chunkTimeoutMs }, options.signal);
  const clock = new AnswerClock(options.modelId, () => limits.fired !== undefined);
  const status = withStatus(clock.startedAt, options.initialStatus);
  // One retry policy, Maestro's: each retry of the model call shows in the bubble as it happens.
  const coalesced = withCoalescedDeltas(
    withRetries(options.model, {
      maxRetries: options.modelRetries,
      initialDelayMs: options.retryDelayMs,
      onRetry: ({ attempt, maxRetries }) => status.retrying({ attempt, of: maxRetries }),
    }),
    options.coalesceMs ?? 0,
    yieldIfShareUsedUp,
  );
  const model = limits.watchSilence(coalesced);
  let result: ReturnType<typeof streamAgentAnswer>;
  try {
    result = streamAgentAnswer(model, {
      maxSteps: options.maxSteps,
      maxOutputTokens: options.maxOutputTokens,
      fetchUrlEnabled: options.fetchUrlEnabled,
      tools,
      toolApproval: approvalRules(catalog, options.allowedTools ?? new Set()),
      approvalSecret: toolApprovalSecret(),
      messages,
      // No SDK `timeout`: the answer's limits are its own (AnswerTimeLimits), and the tools carry
      // theirs (withToolTimeouts); each clears its timers when it ends.
      abortSignal: AbortSignal.any([options.signal, limits.signal]),
    });
  } catch (error) {
    limits.clear();
    throw error;
  }

  const uiStream = toUIMessageStream<ToolSet, ChatMessage>({
    stream: errorsAsParts(result.stream),
    originalMessages: options.history,
    generateMessageId: generateId,
    messageMetadata: ({ part }) => clock.observe(part),
    onError: (error) => {
      const text = describeModelError(error);
      // The first failure is the cause; later ones (e.g. "no output generated") follow from it.
      errorText ??= text;
      return text;
    },
    // Tool errors are the tools' own safe messages; the card shows them and the model reads them.
    redactToolErrors: false,
    onEnd: async ({ responseMessage, isAborted, isCancelled }) => {
      limits.clear();
      const outcome = clock.outcome(isAborted === true || isCancelled === true);
      const message: ChatMessage = { ...responseMessage, metadata: { ...responseMessage.metadata, ...clock.summary(outcome) } };
      try {
        await retryWhileUnavailable(() => options.store.saveMessage(options.chatId, message, options.replyTo));
      } catch (error) {
        console.error(`[maestro] could not save the answer in chat ${options.chatId}:`, error);
      }
      const timeLimitText = limits.fired && describeTimeout(limits.fired, options);
      ended.resolve({ outcome, error: outcome === 'error' ? timeLimitText || errorText || 'The answer failed.' : null });
    },
  });
  const stream = uiStream
    .pipeThrough(timeoutAsError(() => limits.fired, options))
    .pipeThrough(withWritePreviews())
    .pipeThrough(status);
  return { stream, ended: ended.promise };
}

/**
 * The agent's stream, where a stream that breaks (a provider connection reset mid-answer) ends
 * with an `error` part instead of throwing: the failure then goes the way of any model error (an
 * error chunk, the partial answer saved with outcome `error`).
 */
function errorsAsParts(stream: ReadableStream<TextStreamPart<ToolSet>>): ReadableStream<TextStreamPart<ToolSet>> {
  const reader = stream.getReader();
  return new ReadableStream<TextStreamPart<ToolSet>>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.enqueue({ type: 'error', error });
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** What a time limit that cut the answer short says. */
function describeTimeout(limit: TimeLimit, limits: Pick<AnswerOptions, 'timeoutMs' | 'chunkTimeoutMs'>): string {
  switch (limit) {
    case 'first-chunk':
      return `The model did not start answering within ${seconds(limits.chunkTimeoutMs)}.`;
    case 'chunk':
      return `The model stopped answering (nothing for ${seconds(limits.chunkTimeoutMs)}).`;
    case 'total':
      return `The answer took longer than the time limit (${Math.round(limits.timeoutMs / 1000)} s).`;
  }
}

/**
 * After each approval request of a `write_file` call, a `data-file-preview` part: what the file
 * holds now (or that it does not exist), so the card can show the change before it is approved.
 */
function withWritePreviews(): TransformStream<StreamChunk, StreamChunk> {
  const writeInputs = new Map<string, unknown>();
  return new TransformStream<StreamChunk, StreamChunk>({
    async transform(chunk, controller) {
      controller.enqueue(chunk);
      if (chunk.type === 'tool-input-available' && chunk.toolName === 'write_file') writeInputs.set(chunk.toolCallId, chunk.input);
      if (chunk.type !== 'tool-approval-request' || chunk.isAutomatic || !writeInputs.has(chunk.toolCallId)) return;
      const preview = await writePreview(chunk.toolCallId, writeInputs.get(chunk.toolCallId));
      if (preview) controller.enqueue({ type: 'data-file-preview', id: `preview-${chunk.toolCallId}`, data: preview });
    },
  });
}

/** A run that hits a time limit failed; the client should see an error it can retry, not a stop. */
function timeoutAsError(
  fired: () => TimeLimit | undefined,
  limits: Pick<AnswerOptions, 'timeoutMs' | 'chunkTimeoutMs'>,
): TransformStream<StreamChunk, StreamChunk> {
  return new TransformStream<StreamChunk, StreamChunk>({
    transform(chunk, controller) {
      const limit = chunk.type === 'abort' ? fired() : undefined;
      if (limit) {
        controller.enqueue({ type: 'error', errorText: describeTimeout(limit, limits) });
      } else {
        controller.enqueue(chunk);
      }
    },
  });
}

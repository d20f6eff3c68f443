import type { Status, StatusPhase } from '@/lib/chat/types';
import { statusChunk, statusLabel, TERMINAL_PHASES, type RetryCount, type StreamChunk } from '@/lib/chat/status';

/**
 * Derives the run's status from the chunks of its own UI message stream, so the bubble says what
 * the agent is actually doing: thinking → tool (per call) → thinking (next step) → responding → done,
 * or error / stopped. `before` gives a status to send ahead of a chunk, `after` one to send after it.
 */
export class StatusTracker {
  private step = 0;
  private stepUsedTools = false;
  private current: Status | undefined;
  private failed = false;
  /** The tool calls seen, by call id: a call waiting for approval is named in the status. */
  private readonly toolNames = new Map<string, string>();
  /** The first call of the run that waits for the user's approval. */
  private awaiting: { name: string; callId: string } | undefined;

  constructor(
    private readonly startedAt: number,
    private readonly now: () => number = Date.now,
    /** A status already sent for this run (the first "Thinking…"), so it is not sent twice. */
    initial?: Status,
  ) {
    this.current = initial;
  }

  /**
   * A status that must precede the chunk: the terminal one goes before `finish`, `done`, or
   * `awaiting_approval` when a call waits for the user (the run ends there; an answer goes on in a new run).
   */
  before(chunk: StreamChunk): Status | undefined {
    if (chunk.type !== 'finish' || this.failed) return undefined;
    return this.awaiting ? this.enter('awaiting_approval', this.step, this.awaiting) : this.enter('done');
  }

  /** A status the chunk has just brought about. */
  after(chunk: StreamChunk): Status | undefined {
    switch (chunk.type) {
      case 'start':
        return this.enter('thinking', Math.max(this.step, 1));
      case 'start-step':
        this.step += 1;
        this.stepUsedTools = false;
        return this.enter('thinking', this.step);
      case 'tool-input-start':
        this.stepUsedTools = true;
        this.toolNames.set(chunk.toolCallId, chunk.toolName);
        return this.enter('tool', this.step, { name: chunk.toolName, callId: chunk.toolCallId });
      case 'tool-approval-request':
        if (!chunk.isAutomatic && !this.awaiting)
          this.awaiting = { name: this.toolNames.get(chunk.toolCallId) ?? 'tool', callId: chunk.toolCallId };
        return undefined;
      case 'finish-step':
        // After tool results the agent goes back to the model: that is thinking, not the tool. A
        // call waiting for approval ends the run instead.
        return this.stepUsedTools && !this.awaiting ? this.enter('thinking', this.step + 1) : undefined;
      case 'text-start':
      case 'text-delta':
        return this.current?.phase === 'responding' ? undefined : this.enter('responding', this.step);
      case 'error':
        this.failed = true;
        return this.enter('error', this.step);
      // A time limit's abort reaches here as an `error` chunk (the answer stream's timeoutAsError): an abort is a stop.
      case 'abort':
        return this.enter('stopped', this.step);
      default:
        return undefined;
    }
  }

  /**
   * The model call failed with a transient error and is about to be tried again (not a chunk of
   * the stream: the retry policy reports it). Each retry is its own status, "Retrying (1/2)…".
   */
  retrying(retry: RetryCount): Status | undefined {
    return this.enter('retrying', this.current?.step ?? Math.max(this.step, 1), undefined, retry);
  }

  private enter(phase: StatusPhase, step = this.step, tool?: Status['tool'], retry?: RetryCount): Status | undefined {
    const stepNumber = Math.max(step, 1);
    const previous = this.current;
    const label = statusLabel(phase, tool?.name, retry);
    if (
      previous &&
      previous.phase === phase &&
      previous.step === stepNumber &&
      previous.tool?.callId === tool?.callId &&
      previous.label === label
    ) {
      return undefined;
    }
    if (previous && TERMINAL_PHASES.has(previous.phase)) return undefined;
    const status: Status = {
      phase,
      label,
      step: stepNumber,
      elapsedMs: Math.max(0, Math.round(this.now() - this.startedAt)),
      ...(tool ? { tool } : {}),
    };
    this.current = status;
    return status;
  }
}

/** A UI message stream with its statuses, and a way to report what happens outside the stream. */
export type StatusStream = TransformStream<StreamChunk, StreamChunk> & {
  /** Reports a retry of the model call: a `retrying` status goes out right away. */
  retrying(retry: RetryCount): void;
};

/**
 * Interleaves `data-status` chunks, derived from the stream itself, into a UI message stream;
 * `retrying` adds the retries that the model's retry policy reports.
 */
export function withStatus(startedAt: number, initial?: Status): StatusStream {
  const tracker = new StatusTracker(startedAt, Date.now, initial);
  let output: TransformStreamDefaultController<StreamChunk> | undefined;
  let closed = false;
  const stream = new TransformStream<StreamChunk, StreamChunk>({
    start(controller) {
      output = controller;
    },
    flush() {
      closed = true;
    },
    transform(chunk, controller) {
      const before = tracker.before(chunk);
      if (before) controller.enqueue(statusChunk(before));
      controller.enqueue(chunk);
      const after = tracker.after(chunk);
      if (after) controller.enqueue(statusChunk(after));
    },
  });
  return Object.assign(stream, {
    retrying(retry: RetryCount) {
      const status = tracker.retrying(retry);
      if (!status || closed || !output) return;
      try {
        output.enqueue(statusChunk(status));
      } catch {
        // The stream was cancelled meanwhile: nobody to tell.
      }
    },
  });
}

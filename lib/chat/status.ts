import type { InferUIMessageChunk } from 'ai';
import type { ChatMessage, Status, StatusPhase } from '@/lib/chat/types';

/** A chunk of the UI message stream as Maestro sends it. */
export type StreamChunk = InferUIMessageChunk<ChatMessage>;

/** Which retry of the model call is under way: the `n` of "Retrying (n/of)…". */
export type RetryCount = { attempt: number; of: number };

/** What the bubble says for a phase. */
export function statusLabel(phase: StatusPhase, toolName?: string, retry?: RetryCount): string {
  switch (phase) {
    case 'thinking':
      return 'Thinking…';
    case 'tool':
      return `Using tool: ${toolName ?? 'tool'}…`;
    case 'responding':
      return 'Responding…';
    case 'retrying':
      return retry ? `Retrying (${retry.attempt}/${retry.of})…` : 'Retrying…';
    case 'awaiting_approval':
      return `Waiting for your approval: ${toolName ?? 'tool'}…`;
    case 'done':
      return 'Done';
    case 'error':
      return 'Something went wrong';
    case 'stopped':
      return 'Stopped';
    case 'interrupted':
      return 'Interrupted';
  }
}

/** Phases after which a run's status does not change: the run ended, or waits for the user. */
export const TERMINAL_PHASES: ReadonlySet<StatusPhase> = new Set(['awaiting_approval', 'done', 'error', 'stopped', 'interrupted']);

/** The status a run starts with, sent the moment the run exists, before the model is called. */
export function firstStatus(): Status {
  return { phase: 'thinking', label: statusLabel('thinking'), step: 1, elapsedMs: 0 };
}

/** A status as the transient `data-status` chunk the stream carries. */
export function statusChunk(status: Status): StreamChunk {
  return { type: 'data-status', id: 'status', data: status, transient: true };
}

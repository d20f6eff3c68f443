import type { InferUITools, UIMessage } from 'ai';
import type { tools } from '@/lib/tools';
import type { FilePreview } from '@/lib/tools/write-preview';

/** The phases a run goes through, as the status bubble shows them. */
export type StatusPhase =
  'thinking' | 'tool' | 'responding' | 'retrying' | 'awaiting_approval' | 'done' | 'error' | 'stopped' | 'interrupted';

/** Payload of the transient `data-status` part. */
export type Status = {
  phase: StatusPhase;
  /** What the bubble shows: "Thinking…", "Using tool: calculator…". */
  label: string;
  tool?: { name: string; callId: string };
  /** Agent step, from 1. */
  step: number;
  /** Since the run started. */
  elapsedMs: number;
};

export type Outcome = 'complete' | 'stopped' | 'error' | 'interrupted';

/** Metadata of an assistant message; persisted with it. */
export type Metadata = {
  model?: string;
  createdAt?: number;
  ttftMs?: number;
  durationMs?: number;
  usage?: { inputTokens?: number; outputTokens?: number };
  outcome?: Outcome;
  /** Server-measured execution time of each tool call, by tool call id. */
  toolDurationsMs?: Record<string, number>;
  /** How long each reasoning part streamed, from its start to its end, in the order of the message's reasoning parts. */
  reasoningMs?: number[];
};

export type ChatTools = InferUITools<typeof tools>;

/** The one message type that the server, the store and the client share. */
export type ChatMessage = UIMessage<Metadata, ChatData, ChatTools>;

/**
 * The data parts of a message: the transient status, and what a file holds before a `write_file`
 * call waiting for approval would change it (saved with the message, so the card can show a diff).
 */
export type ChatData = { status: Status; 'file-preview': FilePreview };

export type ChatMessagePart = ChatMessage['parts'][number];

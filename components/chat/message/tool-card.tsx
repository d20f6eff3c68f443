'use client';

import { Fragment, useMemo } from 'react';
import { getToolName, type DynamicToolUIPart, type ToolUIPart } from 'ai';
import type { ChatTools } from '@/lib/chat/types';
import { useTicker, useToolTiming } from '@/components/chat/message/use-tool-timing';
import { AlertIcon, CheckIcon, ToolIcon } from '@/components/ui/icons';
import { Spinner } from '@/components/ui/spinner';
import { cn } from '@/components/ui/cn';
import { formatJson, toolValueView } from '@/components/chat/message/tool-output';
import { ApprovalPanel, type ApprovalChoice } from '@/components/chat/message/approval-panel';
import { FileDiff } from '@/components/chat/message/file-diff';
import type { FilePreview } from '@/lib/tools/write-preview';

export type ChatToolPart = ToolUIPart<ChatTools> | DynamicToolUIPart;

/** What the card shows; also its `data-state` for tests. */
export type ToolCardState = 'pending' | 'running' | 'done' | 'error' | 'awaiting-approval' | 'denied' | 'interrupted';

export function toolCardState(part: ChatToolPart, active: boolean): ToolCardState {
  const state = ((): ToolCardState => {
    switch (part.state) {
      case 'input-streaming':
        return 'pending';
      case 'input-available':
        return 'running';
      case 'approval-requested':
        return 'awaiting-approval';
      case 'approval-responded':
        return part.approval.approved ? 'running' : 'denied';
      case 'output-available':
        return part.preliminary ? 'running' : 'done';
      case 'output-error':
        return 'error';
      case 'output-denied':
        return 'denied';
    }
  })();
  // A call that never finished in a run that is over (stopped, failed, interrupted) must not spin.
  if (!active && (state === 'pending' || state === 'running')) return 'interrupted';
  return state;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A short output is shown right away; a long one (a file listing, a long file) stays folded. */
const OPEN_OUTPUT_MAX_LINES = 12;

type Primitive = string | number | boolean;
const isPrimitive = (value: unknown): value is Primitive =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** One line for the header: the input's simple values, e.g. `17 * 23` or `src, *.ts`. */
function summarizeInput(input: unknown): string | undefined {
  if (isPrimitive(input)) return String(input);
  if (typeof input !== 'object' || input === null) return undefined;
  const values = Object.values(input).filter(isPrimitive).map(String);
  if (values.length === 0) return undefined;
  const text = values.join(', ');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** The latest preliminary output as one line, e.g. `scanning · scanned: 120 · path: src`. */
function describeProgress(output: unknown): string | undefined {
  if (isPrimitive(output)) return String(output);
  if (typeof output !== 'object' || output === null) return undefined;
  const parts = Object.entries(output)
    .filter((entry): entry is [string, Primitive] => isPrimitive(entry[1]))
    .map(([key, value]) => (key === 'state' || key === 'status' ? String(value) : `${key}: ${String(value)}`));
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

const STATE_TEXT: Record<ToolCardState, string> = {
  pending: 'Preparing',
  running: 'Running',
  done: 'Done',
  error: 'Failed',
  'awaiting-approval': 'Waiting for approval',
  denied: 'Denied',
  interrupted: 'Not finished',
};

type ToolCardProps = {
  part: ChatToolPart;
  /** Whether the message this call belongs to is still streaming. */
  active: boolean;
  /** Server-measured execution time (message metadata `toolDurationsMs`). */
  durationMs: number | undefined;
  /** For a `write_file` call: what the file held when the call asked for approval. */
  preview?: FilePreview;
  /** Given while the call waits for approval and may be answered here. */
  onAnswer?: (choice: ApprovalChoice) => void;
};

/** The file a `write_file` call would write and its content, if this part is one. */
function writeRequest(name: string, input: unknown): { path: string; content: string } | undefined {
  if (name !== 'write_file' || typeof input !== 'object' || input === null || !('content' in input) || !('path' in input)) return undefined;
  return typeof input.content === 'string' && typeof input.path === 'string' ? { path: input.path, content: input.content } : undefined;
}

/** One tool call: its name, live state and timing, input and output; the approval question when it waits for one. */
export function ToolCard({ part, active, durationMs, preview, onAnswer }: ToolCardProps) {
  const name = getToolName(part);
  const state = toolCardState(part, active);
  const timing = useToolTiming(
    part.toolCallId,
    state === 'pending' || state === 'running' ? 'running' : state === 'done' || state === 'error' ? 'finished' : 'other',
  );
  const now = useTicker(state === 'running');

  const progress = part.state === 'output-available' && part.preliminary ? describeProgress(part.output) : undefined;
  const elapsedMs = state === 'running' && timing && now !== null ? Math.max(0, now - timing.startedAt) : undefined;
  const finishedMs = durationMs ?? (timing?.endedAt !== undefined ? timing.endedAt - timing.startedAt : undefined);
  // A streaming answer renders its cards on every update: format a call's input and output once each.
  const inputSummary = useMemo(() => summarizeInput(part.input), [part.input]);
  const input = useMemo(() => formatJson(part.input), [part.input]);
  const finalOutput = part.state === 'output-available' && !part.preliminary;
  const output = useMemo(() => (finalOutput ? toolValueView(part.output) : undefined), [finalOutput, part.output]);
  const write = state === 'awaiting-approval' ? writeRequest(name, part.input) : undefined;
  const deniedReason = state === 'denied' ? part.approval?.reason : undefined;

  return (
    <div
      data-testid="tool-card"
      data-tool-name={name}
      data-state={state}
      role="group"
      aria-label={`Tool ${name}: ${STATE_TEXT[state].toLowerCase()}`}
      className={cn(
        'my-3 overflow-hidden rounded-lg border bg-card text-card-foreground text-sm',
        state === 'error' && 'border-destructive/50',
      )}
    >
      <div className="flex items-center gap-2 px-3 py-2">
        <ToolIcon size={14} className="shrink-0 text-muted-foreground" />
        <span className="font-mono font-medium">{name}</span>
        {inputSummary && (
          <span className="min-w-0 truncate font-mono text-xs text-muted-foreground" title={inputSummary}>
            {inputSummary}
          </span>
        )}
        <span
          className={cn(
            'ml-auto flex shrink-0 items-center gap-1.5 text-xs tabular-nums',
            state === 'error' ? 'text-destructive' : state === 'done' ? 'text-success' : 'text-muted-foreground',
          )}
        >
          {(state === 'pending' || state === 'running') && <Spinner className="size-3" />}
          {state === 'done' && <CheckIcon size={13} />}
          {state === 'error' && <AlertIcon size={13} />}
          <span data-testid="tool-state">{STATE_TEXT[state]}</span>
          {state === 'running' && elapsedMs !== undefined && <span data-testid="tool-elapsed">{(elapsedMs / 1000).toFixed(1)} s</span>}
          {(state === 'done' || state === 'error') && finishedMs !== undefined && (
            <span data-testid="tool-duration">· {formatDuration(finishedMs)}</span>
          )}
        </span>
      </div>

      {progress && (
        <p data-testid="tool-progress" className="border-t px-3 py-1.5 font-mono text-xs text-muted-foreground">
          {progress}
        </p>
      )}

      {write && <FileDiff path={write.path} preview={preview} content={write.content} />}

      {state === 'awaiting-approval' && part.state === 'approval-requested' && onAnswer && (
        <ApprovalPanel toolName={name} requestReason={part.approval.requestReason} onAnswer={onAnswer} />
      )}

      {deniedReason && (
        <p data-testid="denied-reason" className="border-t px-3 py-2 text-xs text-muted-foreground">
          Reason: {deniedReason}
        </p>
      )}

      {state === 'error' && part.state === 'output-error' && (
        <p role="alert" className="border-t px-3 py-2 text-destructive">
          {part.errorText}
        </p>
      )}

      {input !== '' && (
        // A call waiting for approval shows what it would be called with (a write shows its diff instead).
        <details className="group border-t" open={state === 'awaiting-approval' && !write}>
          <summary className="cursor-pointer select-none px-3 py-1.5 text-xs text-muted-foreground hover:text-foreground">Input</summary>
          <pre className="max-h-64 overflow-auto bg-muted/40 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-words">{input}</pre>
        </details>
      )}

      {output && (
        <details className="border-t" open={output.lines <= OPEN_OUTPUT_MAX_LINES}>
          <summary className="cursor-pointer select-none px-3 py-1.5 text-xs text-muted-foreground hover:text-foreground">
            Output
            {output.lines > OPEN_OUTPUT_MAX_LINES && <span className="whitespace-nowrap"> ({output.lines} lines)</span>}
            {output.fields.map((field) => (
              <Fragment key={field}>
                {' · '}
                <span className="inline-block max-w-full truncate align-bottom font-mono">{field}</span>
              </Fragment>
            ))}
          </summary>
          <pre
            data-testid="tool-output"
            data-kind={output.kind}
            className="max-h-80 overflow-auto bg-muted/40 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-words"
          >
            {output.body}
          </pre>
        </details>
      )}
    </div>
  );
}

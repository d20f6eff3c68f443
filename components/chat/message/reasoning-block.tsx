'use client';

import { useId, useState } from 'react';
import { formatSeconds } from '@/lib/chat/answer-stats';
import type { ChatMessage } from '@/lib/chat/types';
import { ChevronRightIcon } from '@/components/ui/icons';
import { cn } from '@/components/ui/cn';

type ReasoningBlockProps = {
  text: string;
  /** The model is still writing this reasoning. */
  streaming: boolean;
  /** How long the reasoning took, from its start to its end (metadata `reasoningMs`). */
  durationMs?: number;
};

/** The last line of the reasoning so far: what the model is thinking about right now. */
function latestLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .at(-1) ?? ''
  );
}

/** The duration of the message's reasoning part at `partIndex`, from its metadata (`reasoningMs`, in order). */
export function reasoningDuration(message: ChatMessage, partIndex: number): number | undefined {
  const order = message.parts.slice(0, partIndex).filter((part) => part.type === 'reasoning').length;
  return message.metadata?.reasoningMs?.[order];
}

/**
 * A model's reasoning, folded: "Thinking…" with its latest line while it streams, "Thought for
 * N s" once it is done. The reader opens it when they want to read it.
 */
export function ReasoningBlock({ text, streaming, durationMs }: ReasoningBlockProps) {
  const [open, setOpen] = useState(false);
  const contentId = useId();
  const title = streaming ? 'Thinking…' : durationMs !== undefined ? `Thought for ${formatSeconds(durationMs)}` : 'Reasoning';
  const preview = streaming && !open ? latestLine(text) : '';

  return (
    <div data-testid="reasoning" data-state={streaming ? 'streaming' : 'done'} className="my-2 text-sm text-muted-foreground">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={contentId}
        onClick={() => setOpen(!open)}
        className="-mx-1.5 inline-flex max-w-full items-center gap-1.5 rounded-md px-1.5 py-0.5 font-medium transition hover:bg-accent hover:text-foreground"
      >
        <ChevronRightIcon size={14} className={cn('shrink-0 transition-transform', open && 'rotate-90')} />
        <span className={cn(streaming && 'animate-pulse')}>{title}</span>
      </button>
      {preview !== '' && (
        <p data-testid="reasoning-preview" className="mt-0.5 truncate pl-5 text-xs italic">
          {preview}
        </p>
      )}
      <div id={contentId} hidden={!open} className="mt-1 ml-[0.4rem] border-l-2 pl-3 whitespace-pre-wrap">
        {text}
      </div>
    </div>
  );
}

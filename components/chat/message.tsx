'use client';

import { memo, type ReactNode } from 'react';
import { isToolUIPart } from 'ai';
import type { ChatMessage, Metadata } from '@/lib/chat/types';
import { Markdown } from '@/components/chat/markdown';
import { ToolCard, formatDuration } from '@/components/chat/tool-card';
import { ReasoningBlock, reasoningDuration } from '@/components/chat/reasoning-block';
import { AnswerDetails } from '@/components/chat/answer-details';
import { RetryButton } from '@/components/ui/retry-button';

type MessageProps = {
  message: ChatMessage;
  /** Whether this message is the one being streamed right now. */
  streaming: boolean;
  /** Offered on the last answer when it failed or was stopped: answer the question again. */
  onRetry?: () => void;
  /** Whether answers may show images (config.allowImages). */
  allowImages?: boolean;
};

/** Whether an assistant part renders anything. */
function isVisiblePart(part: ChatMessage['parts'][number]): boolean {
  if (part.type === 'text' || part.type === 'reasoning') return part.text.trim() !== '';
  return isToolUIPart(part);
}

/** One message of the conversation: the user's text, or the assistant's text and tool calls. */
export const Message = memo(function Message({ message, streaming, onRetry, allowImages = false }: MessageProps) {
  if (message.role === 'user') {
    const text = message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
    return (
      <div data-testid="user-message" className="flex justify-end">
        <div className="max-w-[85%] rounded-2xl rounded-br-md bg-accent px-4 py-2.5 whitespace-pre-wrap break-words text-accent-foreground">
          {text}
        </div>
      </div>
    );
  }
  if (message.role !== 'assistant') return null;

  const outcome = message.metadata?.outcome;
  const unfinished = outcome !== undefined && outcome !== 'complete';
  // An answer that has produced nothing yet (or failed before it did) shows nothing but its outcome.
  if (!message.parts.some(isVisiblePart) && !unfinished) return null;
  const lastTextIndex = message.parts.findLastIndex((part) => part.type === 'text');
  return (
    <article
      data-testid="assistant-message"
      data-message-id={message.id}
      aria-label="Assistant message"
      className="min-w-0 leading-relaxed"
    >
      {message.parts.map((part, index) => {
        if (part.type === 'text') {
          if (part.text === '') return null;
          return (
            <div key={index} data-testid="assistant-text">
              <Markdown
                text={part.text}
                streaming={streaming && index === lastTextIndex}
                allowImages={allowImages}
              />
            </div>
          );
        }
        if (part.type === 'reasoning') {
          if (part.text.trim() === '') return null;
          return (
            <ReasoningBlock
              key={index}
              text={part.text}
              streaming={streaming && part.state === 'streaming'}
              durationMs={reasoningDuration(message, index)}
            />
          );
        }
        if (isToolUIPart(part)) {
          return (
            <ToolCard
              key={part.toolCallId}
              part={part}
              active={streaming}
              durationMs={message.metadata?.toolDurationsMs?.[part.toolCallId]}
            />
          );
        }
        return null;
      })}
      {!streaming && (
        <MessageFooter metadata={message.metadata} onRetry={unfinished ? onRetry : undefined} answerDetails={<AnswerDetails message={message} />} />
      )}
    </article>
  );
});

const OUTCOME_TEXT = { stopped: 'Stopped', error: 'Failed', interrupted: 'Interrupted' } as const;

function MessageFooter({ metadata, onRetry, answerDetails }: { metadata: Metadata | undefined; onRetry?: () => void; answerDetails?: ReactNode }) {
  if (!metadata) return null;
  const outcome = metadata.outcome && metadata.outcome !== 'complete' ? metadata.outcome : undefined;
  const details = [
    metadata.model,
    metadata.durationMs !== undefined ? formatDuration(metadata.durationMs) : undefined,
    metadata.usage?.outputTokens !== undefined ? `${metadata.usage.outputTokens} tokens` : undefined,
  ].filter((item): item is string => item !== undefined);
  if (!outcome && details.length === 0) return null;
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
      {outcome && (
        <span
          data-testid="outcome-marker"
          className={
            outcome === 'error'
              ? 'rounded-full bg-destructive/10 px-2 py-0.5 font-medium text-destructive'
              : 'rounded-full bg-muted px-2 py-0.5 font-medium'
          }
        >
          {OUTCOME_TEXT[outcome]}
        </span>
      )}
      {details.length > 0 && <span data-testid="message-meta">{details.join(' · ')}</span>}
      {answerDetails}
      {onRetry && <RetryButton onClick={onRetry} iconSize={12} className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 font-medium text-foreground/80 transition hover:bg-accent hover:text-foreground" />}
    </div>
  );
}

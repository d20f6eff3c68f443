'use client';

import { useDeferredValue, type ReactNode } from 'react';
import type { ChatMessage } from '@/lib/chat/types';
import { Message, type MessageActions } from '@/components/chat/message/message';
import type { Versions } from '@/components/chat/session/use-chat-session';
import { ArrowDownIcon } from '@/components/ui/icons';
import { useFollowBottom } from '@/components/chat/message-list/use-follow-bottom';

type MessageListProps = {
  messages: ChatMessage[];
  /** Each message's versions, by id (a message not in it has no other version known yet). */
  versions?: Versions;
  /** Edit, regenerate, switch versions; undefined while an answer streams. */
  actions?: MessageActions;
  /** A run is active: the log is busy and the last assistant message is streaming. */
  busy: boolean;
  /** Shown after the messages: the status bubble, an error. */
  children?: ReactNode;
  /** Shown instead of the messages when there are none. */
  empty?: ReactNode;
  /** Retry for the last answer, when it ended unfinished (failed, stopped). */
  onRetry?: () => void;
  /** Whether answers may show images (config.allowImages). */
  allowImages?: boolean;
};

/**
 * The conversation. It follows the bottom while an answer streams, unless the user scrolled up;
 * then a button brings them back.
 */
export function MessageList({
  messages: current,
  versions,
  actions,
  busy,
  children,
  empty,
  onRetry,
  allowImages = false,
}: MessageListProps) {
  // The messages change on every streamed update. Rendered as a deferred (transition) update,
  // React renders them in slices of a few milliseconds and lets input and frames in between, so
  // no update of a long answer holds the page for a long task; the rest of the page (composer,
  // status) updates at once.
  const messages = useDeferredValue(current);
  // Which message streams is decided on the current list: while the deferred one lags behind a
  // send, the previous answer is not taken for the one streaming.
  const lastId = current.at(-1)?.id;
  const { scrollRef, contentRef, away, scrollToBottom } = useFollowBottom();
  return (
    <div className="relative min-h-0 flex-1">
      <div ref={scrollRef} className="size-full overflow-y-auto [scrollbar-gutter:stable_both-edges]">
        <div
          ref={contentRef}
          role="log"
          aria-label="Conversation"
          aria-busy={busy}
          data-testid="message-log"
          className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 pt-6 pb-10 sm:px-6"
        >
          {messages.length === 0 && empty}
          {messages.map((message) => (
            <Message
              key={message.id}
              message={message}
              streaming={busy && message.id === lastId && message.role === 'assistant'}
              siblingIds={versions?.get(message.id)}
              actions={actions}
              onRetry={!busy && message.id === lastId ? onRetry : undefined}
              answerable={!busy && message.id === lastId}
              allowImages={allowImages}
            />
          ))}
          {children}
        </div>
      </div>
      {away && <ScrollToBottomButton onClick={scrollToBottom} />}
    </div>
  );
}

function ScrollToBottomButton({ onClick }: { onClick: () => void }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-label="Scroll to bottom"
      data-testid="scroll-to-bottom"
      className="absolute bottom-3 left-1/2 flex size-9 -translate-x-1/2 items-center justify-center rounded-full border bg-background text-foreground shadow-md transition hover:bg-accent"
    >
      <ArrowDownIcon size={16} />
    </button>
  );
}

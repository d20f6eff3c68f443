'use client';

import { memo, useState, type ReactNode } from 'react';
import { isToolUIPart } from 'ai';
import type { ChatMessage, Metadata } from '@/lib/chat/types';
import { Markdown } from '@/components/chat/markdown/markdown';
import { ActionBar, ActionButton, CopyButton, VersionNav } from '@/components/chat/message/message-actions';
import { MessageEditor } from '@/components/chat/message/message-editor';
import { ToolCard, formatDuration } from '@/components/chat/message/tool-card';
import type { ApprovalChoice } from '@/components/chat/message/approval-panel';
import { isAwaitingApproval } from '@/lib/chat/approvals';
import { PencilIcon, RetryIcon } from '@/components/ui/icons';
import { ReasoningBlock, reasoningDuration } from '@/components/chat/message/reasoning-block';
import { AnswerDetails } from '@/components/chat/message/answer-details';
import { RetryButton } from '@/components/ui/retry-button';

/** What a person can do with the messages; one object for the whole list, so that it does not re-render them. */
export type MessageActions = {
  /** Sends `text` as a new version of the user message `messageId` (a new branch beside it). */
  edit: (messageId: string, text: string) => void;
  /** Answers again the question that the answer `messageId` answers (a new version beside it). */
  regenerate: (messageId: string) => void;
  /** Shows the branch through `messageId`. */
  switchTo: (messageId: string) => void;
  /** Answers the tool call waiting for approval `approvalId`; the answer goes on in the same message. */
  answerApproval: (approvalId: string, choice: ApprovalChoice) => void;
};

type MessageProps = {
  message: ChatMessage;
  /** Whether this message is the one being streamed right now. */
  streaming: boolean;
  /** The ids of the message's versions (its siblings, its own among them). */
  siblingIds?: string[];
  /** Undefined while an answer streams: then nothing is edited, regenerated or switched. */
  actions?: MessageActions;
  /** Offered on the last answer when it failed or was stopped: answer the question again. */
  onRetry?: () => void;
  /** Whether answers may show images (config.allowImages). */
  allowImages?: boolean;
  /** Whether this is the last message of a chat that is not answering: its waiting tool calls may be answered. */
  answerable?: boolean;
};

const textOf = (message: ChatMessage) =>
  message.parts.flatMap((part) => (part.type === 'text' && part.text.trim() !== '' ? [part.text] : [])).join('\n\n');

/** Whether an assistant part renders anything. */
function isVisiblePart(part: ChatMessage['parts'][number]): boolean {
  if (part.type === 'text' || part.type === 'reasoning') return part.text.trim() !== '';
  return isToolUIPart(part);
}

/** One message of the conversation: the user's text, or the assistant's text and tool calls. */
export const Message = memo(function Message(props: MessageProps) {
  if (props.message.role === 'user') return <UserMessage {...props} />;
  if (props.message.role === 'assistant') return <AssistantMessage {...props} />;
  return null;
});

/** The user's message, with Copy and Edit; editing opens it in place and sends a new version. */
function UserMessage({ message, siblingIds, actions }: MessageProps) {
  const [editing, setEditing] = useState(false);
  const text = message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return (
    <div data-testid="user-message" data-message-id={message.id} className="group flex flex-col items-end gap-1">
      {editing && actions ? (
        <MessageEditor
          initialText={text}
          onCancel={() => setEditing(false)}
          onSave={(edited) => {
            setEditing(false);
            actions.edit(message.id, edited);
          }}
        />
      ) : (
        <div
          data-testid="user-text"
          className="max-w-[85%] rounded-2xl rounded-br-md bg-accent px-4 py-2.5 whitespace-pre-wrap break-words text-accent-foreground"
        >
          {text}
        </div>
      )}
      <div className="flex items-center gap-1">
        {!editing && (
          <ActionBar>
            <CopyButton text={text} />
            <ActionButton label="Edit message" onClick={() => setEditing(true)} disabled={!actions}>
              <PencilIcon size={14} />
            </ActionButton>
          </ActionBar>
        )}
        {siblingIds && <VersionNav ids={siblingIds} current={message.id} onSwitch={(id) => actions?.switchTo(id)} disabled={!actions} />}
      </div>
    </div>
  );
}

/** The assistant's answer: its text, reasoning and tool calls, then its footer. */
function AssistantMessage({ message, streaming, siblingIds, actions, onRetry, allowImages = false, answerable = false }: MessageProps) {
  const outcome = message.metadata?.outcome;
  const unfinished = outcome !== undefined && outcome !== 'complete';
  // An answer that has produced nothing yet (or failed before it did) shows nothing but its outcome.
  if (!message.parts.some(isVisiblePart) && !unfinished) return null;
  const lastTextIndex = message.parts.findLastIndex((part) => part.type === 'text');
  const previews = new Map(
    message.parts.flatMap((part) => (part.type === 'data-file-preview' ? [[part.data.toolCallId, part.data] as const] : [])),
  );
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
              <Markdown text={part.text} streaming={streaming && index === lastTextIndex} allowImages={allowImages} />
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
              preview={previews.get(part.toolCallId)}
              onAnswer={
                answerable && actions && isAwaitingApproval(part) ? (choice) => actions.answerApproval(part.approval.id, choice) : undefined
              }
            />
          );
        }
        return null;
      })}
      {!streaming && (
        <div className="group mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
          {siblingIds && <VersionNav ids={siblingIds} current={message.id} onSwitch={(id) => actions?.switchTo(id)} disabled={!actions} />}
          <MessageFooter
            metadata={message.metadata}
            onRetry={unfinished ? onRetry : undefined}
            answerDetails={<AnswerDetails message={message} />}
          />
          <ActionBar>
            <CopyButton text={textOf(message)} />
            {!(unfinished && onRetry) && (
              <ActionButton label="Regenerate" onClick={() => actions?.regenerate(message.id)} disabled={!actions}>
                <RetryIcon size={14} />
              </ActionButton>
            )}
          </ActionBar>
        </div>
      )}
    </article>
  );
}

const OUTCOME_TEXT = { stopped: 'Stopped', error: 'Failed', interrupted: 'Interrupted' } as const;

function MessageFooter({
  metadata,
  onRetry,
  answerDetails,
}: {
  metadata: Metadata | undefined;
  onRetry?: () => void;
  answerDetails?: ReactNode;
}) {
  if (!metadata) return null;
  const outcome = metadata.outcome && metadata.outcome !== 'complete' ? metadata.outcome : undefined;
  const details = [
    metadata.model,
    metadata.durationMs !== undefined ? formatDuration(metadata.durationMs) : undefined,
    metadata.usage?.outputTokens !== undefined ? `${metadata.usage.outputTokens} tokens` : undefined,
  ].filter((item): item is string => item !== undefined);
  if (!outcome && details.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2">
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
      {onRetry && (
        <RetryButton
          onClick={onRetry}
          iconSize={12}
          className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 font-medium text-foreground/80 transition hover:bg-accent hover:text-foreground"
        />
      )}
    </div>
  );
}

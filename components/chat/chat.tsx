'use client';

import { useRef } from 'react';
import { TERMINAL_PHASES } from '@/lib/chat/status';
import type { PathMessage } from '@/lib/chat/tree';
import type { ProviderInfo } from '@/lib/models/providers';
import type { ModelInfo } from '@/lib/models/registry';
import { describeChatError } from '@/lib/chat/client/errors';
import { Composer, type ComposerHandle } from '@/components/chat/composer';
import { EmptyChat } from '@/components/chat/empty-chat';
import { ErrorNotice } from '@/components/chat/error-notice';
import { MessageList } from '@/components/chat/message-list/message-list';
import { ModelPicker } from '@/components/chat/model-picker';
import { StatusBubble } from '@/components/chat/status-bubble';
import { useChatSession } from '@/components/chat/session/use-chat-session';
import { useMessageActions } from '@/components/chat/message/use-message-actions';
import { useModelChoice } from '@/components/chat/use-model-choice';
import { useRunStatus } from '@/components/chat/session/use-run-status';

type ChatProps = {
  id: string;
  /** The chat's active path. */
  initialMessages: PathMessage[];
  /** The run answering when the page was rendered; the page follows it live. */
  initialActiveRun: { id: string; startedAt: string } | null;
  /** When the chat last changed as of `initialMessages` (null: not created yet). */
  initialUpdatedAt: string | null;
  models: ModelInfo[];
  /** Every provider, with the variable that turns it on. */
  providers: readonly ProviderInfo[];
  defaultModel: string;
  /** Whether answers may show images (config.allowImages, http(s) only). */
  allowImages?: boolean;
  /** The longest message the server accepts (config.maxMessageChars). */
  maxMessageChars: number;
};

/** One conversation: the chat's runs followed live, the status, errors and the composer. */
export function Chat({
  id,
  initialMessages,
  initialActiveRun,
  initialUpdatedAt,
  models,
  providers,
  defaultModel,
  allowImages = false,
  maxMessageChars,
}: ChatProps) {
  const [model, chooseModel] = useModelChoice(id, models, defaultModel, lastAnswerModel(initialMessages));
  // The `data-status` parts of the current run (transient: they only ever reach onData).
  const { status: runStatus, pacer } = useRunStatus();
  const composer = useRef<ComposerHandle>(null);
  const { messages, versions, status, error, refused, busy, notice, send, retry, edit, switchTo, answerApproval, stop } = useChatSession({
    id,
    initialMessages,
    initialActiveRun,
    initialUpdatedAt,
    pacer,
    // A refused send loses nothing: its text goes back to the composer.
    onRefused: (text) => composer.current?.restore(text),
  });
  const actions = useMessageActions({
    edit: (messageId, text) => edit(messageId, text, model),
    regenerate: (messageId) => retry(model, messageId),
    switchTo: (messageId) => void switchTo(messageId),
    answerApproval,
  });

  // Shown only while a run is active, and never after the run said it ended.
  const bubbleLabel = busy && !(runStatus && TERMINAL_PHASES.has(runStatus.phase)) ? (runStatus?.label ?? 'Connecting…') : null;
  const failed = error !== undefined && status === 'error' && !refused;

  return (
    <div className="flex h-full min-h-0 flex-col">
      <MessageList
        messages={messages}
        versions={versions}
        actions={busy ? undefined : actions}
        busy={busy}
        empty={
          <EmptyChat
            onPick={(text) => {
              send(text, model);
              composer.current?.focus();
            }}
          />
        }
        onRetry={failed ? undefined : () => retry(model)}
        allowImages={allowImages}
      >
        {bubbleLabel !== null && (
          <div>
            <StatusBubble label={bubbleLabel} />
          </div>
        )}
        {failed && <ErrorNotice message={describeChatError(error)} onRetry={() => retry(model)} />}
        {notice !== null && <ErrorNotice title="Not sent" message={notice} testId="chat-notice" />}
      </MessageList>
      <div className="mx-auto w-full max-w-3xl px-3 pb-3 sm:px-6 sm:pb-5">
        <Composer
          ref={composer}
          busy={busy}
          maxChars={maxMessageChars}
          onSend={(text) => send(text, model)}
          onStop={() => void stop()}
          toolbar={<ModelPicker models={models} providers={providers} value={model} onChange={chooseModel} />}
        />
        <p className="mt-2 text-center text-xs text-muted-foreground">Maestro shows each tool call it makes. Answers can still be wrong.</p>
      </div>
    </div>
  );
}

/** The model that wrote the chat's last answer, as the server recorded it. */
function lastAnswerModel(messages: PathMessage[]): string | undefined {
  return messages.findLast((message) => message.role === 'assistant')?.metadata?.model;
}

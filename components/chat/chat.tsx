'use client';

import { useChat } from '@ai-sdk/react';
import { useRef, useState } from 'react';
import { TERMINAL_PHASES } from '@/lib/chat/status';
import type { ChatMessage } from '@/lib/chat/types';
import type { ModelInfo } from '@/lib/models/registry';
import { notifyChatsChanged } from '@/lib/chat/client-chats';
import { describeChatError } from '@/lib/chat/client-errors';
import { createChatTransport } from '@/lib/chat/client-transport';
import { Composer } from '@/components/chat/composer';
import { EmptyChat } from '@/components/chat/empty-chat';
import { ErrorNotice } from '@/components/chat/error-notice';
import { MessageList } from '@/components/chat/message-list';
import { ModelPicker } from '@/components/chat/model-picker';
import { StatusBubble } from '@/components/chat/status-bubble';
import { useModelChoice } from '@/components/chat/use-model-choice';
import { useRunStatus } from '@/components/chat/use-run-status';

type ChatProps = {
  id: string;
  initialMessages: ChatMessage[];
  models: ModelInfo[];
  defaultModel: string;
};

/** One conversation: useChat wired to Maestro's API, the live status, errors and the composer. */
export function Chat({ id, initialMessages, models, defaultModel }: ChatProps) {
  const [transport] = useState(createChatTransport);
  const [model, chooseModel] = useModelChoice(models, defaultModel);
  // The `data-status` parts of the current run (transient: they only ever reach onData).
  const { status: runStatus, pacer } = useRunStatus();
  const listedRef = useRef(initialMessages.length > 0);

  const { messages, sendMessage, regenerate, stop, status, error, clearError, setMessages } = useChat<ChatMessage>({
    id,
    messages: initialMessages,
    transport,
    throttle: 50,
    onData: (part) => {
      if (part.type !== 'data-status') return;
      pacer.push(part.data);
      if (!listedRef.current) {
        // The server has created the chat: show it in the list right away.
        listedRef.current = true;
        notifyChatsChanged();
      }
    },
    onFinish: () => notifyChatsChanged(),
  });

  const busy = status === 'submitted' || status === 'streaming';
  // Shown only while a run is active, and never after the run said it ended.
  const bubbleLabel =
    busy && !(runStatus && TERMINAL_PHASES.has(runStatus.phase)) ? (runStatus?.label ?? 'Connecting…') : null;

  function send(text: string) {
    if (busy) return;
    pacer.reset();
    if (error) clearError();
    void sendMessage({ text }, { body: { model } });
  }

  async function stopRun() {
    const streamingId = status === 'streaming' ? messages.at(-1)?.id : undefined;
    await stop();
    if (streamingId === undefined) return;
    // Mark the partial answer the way the server saves it, so it reads "Stopped" right away.
    setMessages((current) =>
      current.map((message) =>
        message.id === streamingId && message.role === 'assistant' && !message.metadata?.outcome
          ? { ...message, metadata: { ...message.metadata, outcome: 'stopped' } }
          : message,
      ),
    );
  }

  function retry() {
    pacer.reset();
    clearError();
    void regenerate({ body: { model } });
  }

  return (
    <div className="flex h-full min-h-0 flex-col">
      <MessageList
        messages={messages}
        busy={busy}
        empty={<EmptyChat onPick={send} />}
        onRetry={error ? undefined : retry}
      >
        {bubbleLabel !== null && (
          <div>
            <StatusBubble label={bubbleLabel} />
          </div>
        )}
        {error && status === 'error' && <ErrorNotice message={describeChatError(error)} onRetry={retry} />}
      </MessageList>
      <div className="mx-auto w-full max-w-3xl px-3 pb-3 sm:px-6 sm:pb-5">
        <Composer
          busy={busy}
          onSend={send}
          onStop={() => void stopRun()}
          toolbar={<ModelPicker models={models} value={model} onChange={chooseModel} />}
        />
        <p className="mt-2 text-center text-xs text-muted-foreground">
          Maestro shows each tool call it makes. Answers can still be wrong.
        </p>
      </div>
    </div>
  );
}

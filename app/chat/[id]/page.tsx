import type { Metadata } from 'next';
import { cache } from 'react';
import { notFound } from 'next/navigation';
import { idSchema } from '@/lib/chat/ids';
import { currentIdentity } from '@/lib/auth/current';
import { getConfig } from '@/lib/config';
import { listModels } from '@/lib/models/registry';
import { chatPageData } from '@/lib/chats/view';
import { Chat } from '@/components/chat/chat';
import { ChatSidebar } from '@/components/chat/sidebar/chat-sidebar';

type ChatPageProps = { params: Promise<{ id: string }> };

/** What the page is called: the chat's title, or "New chat" before its first message. */
function chatTitle(title: string | null): string {
  return title?.trim() || 'New chat';
}

async function chatId(params: ChatPageProps['params']): Promise<string> {
  const { id } = await params;
  if (!idSchema.safeParse(id).success) notFound();
  return id;
}

/** The page's data for the caller (once per request); another identity's chat does not exist for them. */
const pageData = cache(async (id: string) => {
  const ownerId = await currentIdentity();
  const data = ownerId ? await chatPageData(id, ownerId) : null;
  if (!data) notFound();
  return data;
});

export async function generateMetadata({ params }: ChatPageProps): Promise<Metadata> {
  const { title } = await pageData(await chatId(params));
  return { title: chatTitle(title) };
}

/** A chat: its history from the store (a new id has none), the models, and the list of chats. */
export default async function ChatPage({ params }: ChatPageProps) {
  const id = await chatId(params);
  const { title, messages, chats, activeRun, updatedAt } = await pageData(id);
  const { models, default: defaultModel, providers } = listModels();
  return (
    <div className="flex h-dvh overflow-hidden">
      <ChatSidebar currentId={id} initialChats={chats} />
      <main className="flex min-w-0 flex-1 flex-col">
        <h1 className="sr-only">{chatTitle(title)}</h1>
        <header className="flex h-14 shrink-0 items-center justify-center border-b text-sm font-semibold md:hidden">Maestro</header>
        <Chat
          key={id}
          id={id}
          initialMessages={messages}
          initialActiveRun={activeRun}
          initialUpdatedAt={updatedAt}
          models={models}
          providers={providers}
          defaultModel={defaultModel}
          allowImages={getConfig().allowImages}
          maxMessageChars={getConfig().maxMessageChars}
        />
      </main>
    </div>
  );
}

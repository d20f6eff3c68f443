import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { idSchema } from '@/lib/chat/ids';
import { listModels } from '@/lib/models/registry';
import { getStore } from '@/lib/store';
import { Chat } from '@/components/chat/chat';
import { ChatSidebar } from '@/components/chat/chat-sidebar';

type ChatPageProps = { params: Promise<{ id: string }> };

async function chatId(params: ChatPageProps['params']): Promise<string> {
  const { id } = await params;
  if (!idSchema.safeParse(id).success) notFound();
  return id;
}

export async function generateMetadata({ params }: ChatPageProps): Promise<Metadata> {
  const id = await chatId(params);
  const chat = await (await getStore()).getChat(id);
  return { title: chat?.title.trim() || 'New chat' };
}

/** A chat: its history from the store (a new id has none), the models, and the list of chats. */
export default async function ChatPage({ params }: ChatPageProps) {
  const id = await chatId(params);
  const store = await getStore();
  const [messages, chats] = await Promise.all([store.listMessages(id), store.listChats()]);
  const { models, default: defaultModel } = listModels();
  return (
    <div className="flex h-dvh overflow-hidden">
      <ChatSidebar currentId={id} initialChats={chats} />
      <main className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 items-center justify-center border-b text-sm font-semibold md:hidden">
          Maestro
        </header>
        <Chat key={id} id={id} initialMessages={messages} models={models} defaultModel={defaultModel} />
      </main>
    </div>
  );
}

import { usePathname } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { fetchChats, onChatsChanged, renameChat, type ChatSummary } from '@/lib/chat/client/chats';

const message = (error: unknown, fallback: string) => (error instanceof Error ? error.message : fallback);

/**
 * The caller's chats as the sidebar lists them: the server's list, refreshed on navigation and
 * whenever chats change; a rename shows at once and is undone if the server refuses it.
 */
export function useChatList(initialChats: ChatSummary[]) {
  const [chats, setChats] = useState(initialChats);
  const [problem, setProblem] = useState<string | null>(null);
  const pathname = usePathname();

  const refresh = useCallback((signal?: AbortSignal) => {
    fetchChats(signal).then(
      (next) => {
        setChats(next);
        setProblem(null);
      },
      (error: unknown) => {
        if (!signal?.aborted) setProblem(message(error, 'Could not load the chats.'));
      },
    );
  }, []);

  // Refresh on navigation, and whenever a chat is created, answered or deleted.
  useEffect(() => {
    const controller = new AbortController();
    refresh(controller.signal);
    return () => controller.abort();
  }, [pathname, refresh]);

  useEffect(() => onChatsChanged(() => refresh()), [refresh]);

  const retitle = (id: string, title: string) => setChats((list) => list.map((chat) => (chat.id === id ? { ...chat, title } : chat)));

  async function rename(chat: ChatSummary, title: string) {
    retitle(chat.id, title);
    try {
      retitle(chat.id, (await renameChat(chat.id, title)).title);
      setProblem(null);
    } catch (error) {
      retitle(chat.id, chat.title);
      setProblem(message(error, 'Could not rename the chat.'));
    }
  }

  return { chats, problem, rename };
}

'use client';

import Link from 'next/link';
import { shortChatTime } from '@/lib/chat/chat-groups';
import type { ChatSearchResult } from '@/lib/chat/client/chats';
import { HighlightedText } from '@/components/chat/sidebar/highlighted-text';
import { cn } from '@/components/ui/cn';

type ChatSidebarResultsProps = {
  query: string;
  /** Null until the first answer. */
  results: ChatSearchResult[] | null;
  searching: boolean;
  error: string | null;
  currentId: string;
  now: number | null;
  onNavigate: () => void;
};

function summary(query: string, results: ChatSearchResult[] | null, searching: boolean, error: string | null): string {
  if (error !== null) return error;
  if (results === null) return 'Searching…';
  if (results.length === 0) return searching ? 'Searching…' : `No chats match “${query.trim()}”`;
  return results.length === 1 ? '1 chat' : `${results.length} chats`;
}

/** The chats a search found: each title and the text that matched, with the query's words marked. */
export function ChatSidebarResults({ query, results, searching, error, currentId, now, onNavigate }: ChatSidebarResultsProps) {
  return (
    <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-3" data-testid="chat-search-results" aria-busy={searching}>
      <p role="status" className={cn('px-2 pt-3 pb-1 text-xs font-medium', error === null ? 'text-muted-foreground' : 'text-destructive')}>
        {summary(query, results, searching, error)}
      </p>
      {results !== null && results.length > 0 && (
        <ul aria-label="Search results" className={cn('space-y-0.5 transition-opacity', searching && 'opacity-60')}>
          {results.map((chat) => (
            <li key={chat.id}>
              <Link
                href={`/chat/${chat.id}`}
                aria-current={chat.id === currentId ? 'page' : undefined}
                onClick={onNavigate}
                className={cn('block rounded-lg px-3 py-2 text-sm transition', chat.id === currentId ? 'bg-accent' : 'hover:bg-accent/60')}
              >
                <span className="flex items-baseline gap-2">
                  <span className="min-w-0 flex-1 truncate font-medium">
                    <HighlightedText text={chat.title.trim() || 'New chat'} query={query} />
                  </span>
                  {now !== null && (
                    <time dateTime={chat.updatedAt} className="shrink-0 text-xs text-muted-foreground tabular-nums">
                      {shortChatTime(chat.updatedAt, new Date(now))}
                    </time>
                  )}
                </span>
                {chat.snippet !== null && (
                  <span className="mt-0.5 line-clamp-2 text-xs text-muted-foreground" data-testid="search-snippet">
                    <HighlightedText text={chat.snippet} query={query} />
                  </span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

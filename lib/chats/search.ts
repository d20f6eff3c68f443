import { getStore } from '@/lib/store';
import { searchTerms } from '@/lib/store/search-sql';
import type { ChatSummary } from '@/lib/store/types';

/** A chat that matched a search, with the piece of its text that matched (null when only its title did). */
export type ChatSearchResult = ChatSummary & { snippet: string | null };

/** How many characters of a matching text a result shows, and how many of them come before the first match. */
const SNIPPET_CHARS = 160;
const SNIPPET_LEAD_CHARS = 40;

/**
 * Text as a line of a list shows it: Markdown's marks (headings, list bullets, emphasis, code,
 * table bars) and line breaks gone. An asterisk between spaces or inside a word ("17 * 23", "2*3")
 * is not emphasis and stays.
 */
function plainLine(text: string): string {
  return text
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/(^|[\s([{"'“‘])\*+(?=\S)/gm, '$1')
    .replace(/(?<=\S)\*+(?=$|[\s)\]}.,;:!?"'”’])/gm, '')
    .replace(/__|`+/g, '')
    .replace(/\|/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where the first of `terms` starts in `text` (ignoring case), or -1. */
function firstMatch(text: string, terms: string[]): number {
  if (terms.length === 0) return -1;
  return text.search(new RegExp(terms.map(escapeRegExp).join('|'), 'iu'));
}

/**
 * A short piece of `text` around the first of `terms`, cut at spaces, with "…" where it was cut.
 * Markdown marks are left out, unless a term contains one.
 */
export function snippetOf(text: string, terms: string[]): string {
  const plain = plainLine(text);
  let line = plain;
  let at = firstMatch(plain, terms);
  if (at === -1) {
    line = text.replace(/\s+/g, ' ').trim();
    at = Math.max(0, firstMatch(line, terms));
  }
  if (line.length <= SNIPPET_CHARS) return line;
  let start = Math.max(0, Math.min(at - SNIPPET_LEAD_CHARS, line.length - SNIPPET_CHARS));
  if (start > 0) {
    const space = line.indexOf(' ', start);
    if (space !== -1 && space < at) start = space + 1;
  }
  let end = Math.min(line.length, start + SNIPPET_CHARS);
  if (end < line.length) {
    const space = line.lastIndexOf(' ', end);
    if (space > at) end = space;
  }
  return `${start > 0 ? '…' : ''}${line.slice(start, end).trim()}${end < line.length ? '…' : ''}`;
}

/**
 * The owner's chats matching `query` (see `Store.searchChats`), newest first, each with a snippet
 * of the text that matched; none when that text says no more than the title (the first question
 * the title was made from).
 */
export async function searchChats(ownerId: string, query: string, limit: number): Promise<ChatSearchResult[]> {
  const store = await getStore();
  const terms = searchTerms(query);
  const hits = await store.searchChats(ownerId, query, limit);
  return hits.map(({ matchedText, ...chat }) => {
    const snippet = matchedText === null ? null : snippetOf(matchedText, terms);
    return { ...chat, snippet: snippet === chat.title ? null : snippet };
  });
}

import type { ChatMessage } from '@/lib/chat/types';
import type { SqlDriver, SqlValue } from '@/lib/store/sql';

/**
 * The SQL of chat search (`Store.searchChats`). SQLite matches substrings, without an index;
 * Postgres uses its full text search, with an index on the messages' text.
 */

/** Most words of a search query that count: a longer query narrows nothing a person would notice. */
const MAX_SEARCH_TERMS = 8;

/** The words of a search query, lower-cased, each once, at most MAX_SEARCH_TERMS. */
export function searchTerms(query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '');
  return [...new Set(words)].slice(0, MAX_SEARCH_TERMS);
}

/**
 * Most characters of a message that search reads. Postgres cannot index a document whose distinct
 * words pass 1 MB; a longer answer is found by its first 200,000 characters.
 */
const MAX_SEARCH_CHARS = 200_000;

/**
 * What search reads of a message (its `search_text` column): the text of its text parts as a JSON
 * array of strings, never tool calls, reasoning or metadata. Postgres's JSON cannot hold NUL or a
 * lone surrogate, so those are dropped here (the message itself keeps them).
 */
export function searchText(message: Pick<ChatMessage, 'parts'>): string {
  const texts: string[] = [];
  let room = MAX_SEARCH_CHARS;
  for (const part of message.parts) {
    if (part.type !== 'text' || room <= 0) continue;
    const text = part.text.slice(0, room).toWellFormed().replaceAll('\u0000', '');
    texts.push(text);
    room -= text.length;
  }
  return JSON.stringify(texts);
}

/** Fills `search_text` for the messages saved before it existed, a batch at a time. */
export async function fillSearchText(tx: SqlDriver): Promise<void> {
  const BATCH = 500;
  let after = { chatId: '', id: '' };
  for (;;) {
    const rows = await tx.query<{ chat_id: string; id: string; parts: string }>(
      `SELECT chat_id, id, parts FROM messages WHERE chat_id > ? OR (chat_id = ? AND id > ?) ORDER BY chat_id, id LIMIT ?`,
      [after.chatId, after.chatId, after.id, BATCH],
    );
    for (const row of rows) {
      await tx.run('UPDATE messages SET search_text = ? WHERE chat_id = ? AND id = ?', [
        searchText({ parts: JSON.parse(row.parts) as ChatMessage['parts'] }),
        row.chat_id,
        row.id,
      ]);
    }
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) return;
    after = { chatId: last.chat_id, id: last.id };
  }
}

/** Columns of `chats` (as in the store's chat rows) and the text that matched, or NULL. */
const FOUND_COLUMNS = 'id, owner_id, title, created_at, updated_at, active_leaf_id, matched_text';
/** Of a chat's matching texts: an answer's before a question's, then the earliest. */
const ANSWERS_FIRST = "CASE WHEN m.role = 'assistant' THEN 0 ELSE 1 END, m.seq";
const NEWEST_FIRST = 'updated_at DESC, created_at DESC, id DESC';

export type SearchQuery = { sql: string; params: SqlValue[] };

/** SQLite: every term is a substring, ignoring (ASCII) case, of one text part or of the title. */
export function substringSearch(ownerId: string, terms: string[], limit: number): SearchQuery {
  const patterns = terms.map(likePattern);
  const containsAll = (text: string) => patterns.map(() => `lower(${text}) LIKE ? ESCAPE '!'`).join(' AND ');
  return {
    sql: `SELECT ${FOUND_COLUMNS} FROM (
        SELECT c.id, c.owner_id, c.title, c.created_at, c.updated_at, c.active_leaf_id,
          (SELECT p.value FROM messages m, json_each(m.search_text) AS p
            WHERE m.chat_id = c.id AND ${containsAll('p.value')}
            ORDER BY ${ANSWERS_FIRST} LIMIT 1) AS matched_text
        FROM chats c WHERE c.owner_id = ?
      ) AS found
      WHERE matched_text IS NOT NULL OR (${containsAll('title')})
      ORDER BY ${NEWEST_FIRST} LIMIT ?`,
    params: [...patterns, ownerId, ...patterns, limit],
  };
}

/** `%term%` for `LIKE … ESCAPE '!'`, with the term's own `%`, `_` and `!` taken literally. */
function likePattern(term: string): string {
  return `%${term.replace(/[!%_]/g, (char) => `!${char}`)}%`;
}

/**
 * A message's words for full text search. The index is on this expression (`MESSAGE_TEXT_INDEX`),
 * so the query must use it unchanged for the index to serve.
 */
const messageWords = (searchText: string) => `to_tsvector('simple', ${searchText}::jsonb)`;

/** The index Postgres finds messages by their words with. */
export const MESSAGE_TEXT_INDEX = `CREATE INDEX messages_text_search_idx ON messages USING gin ((${messageWords('search_text')}))`;

/**
 * The query's words, split by the same parser as the texts ('simple': no stemming, any language),
 * each matched as the start of a word, all required. NULL when the query has no words (only
 * punctuation), and then nothing matches. Each word is quoted for `to_tsquery`, its `\` and `'` doubled.
 */
const PREFIX_TSQUERY = String.raw`(SELECT to_tsquery('simple', string_agg(
    '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''':*', ' & '))
  FROM unnest(tsvector_to_array(to_tsvector('simple', ?))) AS lexeme)`;

/**
 * Postgres: every word of the query starts a word of one text part, or of the title. Messages are
 * found through `MESSAGE_TEXT_INDEX`, then the part that matched is picked for the snippet.
 */
export function fullTextSearch(ownerId: string, terms: string[], limit: number): SearchQuery {
  const matches = (document: string) => `${document} @@ search.query`;
  return {
    sql: `WITH search AS (SELECT ${PREFIX_TSQUERY} AS query),
      hits AS (
        SELECT DISTINCT ON (m.chat_id) m.chat_id, p.text AS matched_text
        FROM search, messages m JOIN chats c ON c.id = m.chat_id, jsonb_array_elements_text(m.search_text::jsonb) AS p(text)
        WHERE c.owner_id = ? AND ${matches(messageWords('m.search_text'))} AND ${matches("to_tsvector('simple', p.text)")}
        ORDER BY m.chat_id, ${ANSWERS_FIRST}
      )
      SELECT ${FOUND_COLUMNS} FROM (
        SELECT c.id, c.owner_id, c.title, c.created_at, c.updated_at, c.active_leaf_id, hits.matched_text
        FROM search, chats c LEFT JOIN hits ON hits.chat_id = c.id
        WHERE c.owner_id = ? AND (hits.chat_id IS NOT NULL OR ${matches("to_tsvector('simple', c.title)")})
      ) AS found
      ORDER BY ${NEWEST_FIRST} LIMIT ?`,
    params: [terms.join(' '), ownerId, ownerId, limit],
  };
}

/** Longest title a chat may be given. */
export const CHAT_TITLE_MAX_CHARS = 100;

/** A title as it is kept: on one line (runs of whitespace become one space), trimmed. */
export function normalizeTitle(title: string): string {
  return title.replace(/\s+/g, ' ').trim();
}

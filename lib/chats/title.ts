/** Longest title a chat may be given. */
export const CHAT_TITLE_MAX_CHARS = 100;

/** A title as it is kept: on one line (runs of whitespace become one space), trimmed. */
export function normalizeTitle(title: string): string {
  return title.replace(/\s+/g, ' ').trim();
}

/** Longest title made from a first message (a rename may be longer). */
const FIRST_MESSAGE_TITLE_MAX_CHARS = 60;

/** A chat's title: the start of its first message, on one line. */
export function titleFrom(text: string): string {
  const line = normalizeTitle(text);
  return line.length <= FIRST_MESSAGE_TITLE_MAX_CHARS ? line : `${line.slice(0, FIRST_MESSAGE_TITLE_MAX_CHARS - 1).trimEnd()}…`;
}

// The API's paths, as the browser, tests and benchmarks build them. Self-contained for plain-Node scripts.

const CHATS = '/api/chats/';

/** `/api/chats/{id}`: a chat, and the prefix of its routes (`…/messages`, `…/stream`, …). */
export const chatPath = (chatId: string): string => `${CHATS}${encodeURIComponent(chatId)}`;

/** The chat id in the URL of one of a chat's routes (`…/api/chats/{id}/…`), if it is one. */
export function chatIdOfRoute(url: string): string | undefined {
  const encoded = /\/api\/chats\/([^/?#]+)\//.exec(url)?.[1];
  if (encoded === undefined) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined; // not a path chatPath made
  }
}

/** The API routes of one chat (and a path beside them), with `{}` where a broken piece of a path goes. */
export const CHAT_ROUTE_TEMPLATES = [
  '/api/chats/{}',
  '/api/chats/{}/messages',
  '/api/chats/{}/approvals',
  '/api/chats/{}/stop',
  '/api/chats/{}/active',
  '/api/chats/{}/run',
  '/api/chats/{}/stream',
  '/api/chats/{}/export',
  '/api/chats/x/{}',
];

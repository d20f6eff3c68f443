import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { renameChat } from '@/lib/chats/rename';
import { parseJsonBody, parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { assertSameOrigin } from '@/lib/http/guard';
import { deleteChat } from '@/lib/chats/delete';
import { loadChat } from '@/lib/chats/view';
import { RENAME_MAX_BODY_BYTES, renameSchema } from './schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

export const GET = handleErrors(async (request: Request, context: Context) => {
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  return Response.json(await loadChat(chatId, requireIdentity(request)));
});

/** Renames the chat: `{ title }` → `{ chat }`. */
export const PATCH = handleErrors(async (request: Request, context: Context) => {
  assertSameOrigin(request);
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const ownerId = requireIdentity(request);
  const { title } = await parseJsonBody(request, renameSchema, RENAME_MAX_BODY_BYTES);
  return Response.json({ chat: await renameChat(chatId, ownerId, title) });
});

export const DELETE = handleErrors(async (request: Request, context: Context) => {
  assertSameOrigin(request);
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  await deleteChat(chatId, requireIdentity(request));
  return Response.json({ ok: true });
});

import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { assertSameOrigin } from '@/lib/http/guard';
import { deleteChat, loadChat } from '@/lib/runs/chats';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

export const GET = handleErrors(async (request: Request, context: Context) => {
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  return Response.json(await loadChat(chatId, requireIdentity(request)));
});

export const DELETE = handleErrors(async (request: Request, context: Context) => {
  assertSameOrigin(request);
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  await deleteChat(chatId, requireIdentity(request));
  return Response.json({ ok: true });
});

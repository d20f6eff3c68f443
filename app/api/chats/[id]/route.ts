import { idSchema } from '@/lib/chat/ids';
import { parseParam } from '@/lib/http/body';
import { handleErrors, HttpError } from '@/lib/http/errors';
import { getStore } from '@/lib/store';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ id: string }> };

const notFound = () => new HttpError(404, 'chat_not_found', 'There is no such chat.');

export const GET = handleErrors(async (_request: Request, context: Context) => {
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const store = await getStore();
  const chat = await store.getChat(chatId);
  if (!chat) throw notFound();
  return Response.json({ chat, messages: await store.listMessages(chatId) });
});

export const DELETE = handleErrors(async (_request: Request, context: Context) => {
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const store = await getStore();
  if (!(await store.deleteChat(chatId))) throw notFound();
  return Response.json({ ok: true });
});

import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { exportChat } from '@/lib/chats/export';
import { parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { exportQuerySchema } from './schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The chat as a Markdown or JSON file to download. */
export const GET = handleErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const { format } = parseParam(Object.fromEntries(new URL(request.url).searchParams), exportQuerySchema, 'format');
  const file = await exportChat(chatId, requireIdentity(request), format);
  return new Response(file.body, { headers: file.headers });
});

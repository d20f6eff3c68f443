import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { chatRunState } from '@/lib/chats/run-state';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The chat's active run, if any, and when the chat last changed: a light call that idle pages poll. */
export const GET = handleErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const { run, updatedAt } = await chatRunState(chatId, requireIdentity(request));
  return Response.json({ run: run ? { id: run.id, model: run.model, startedAt: run.startedAt } : null, updatedAt });
});

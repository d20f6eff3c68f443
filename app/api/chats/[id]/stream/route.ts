import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { lastEventId } from '@/lib/http/sse';
import { chatRunState } from '@/lib/chats/run-state';
import { runStreamResponse } from '@/lib/runs/subscribe';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const maxDuration = 300;

/** Follows the chat's active run from its start, or right after Last-Event-ID; 204 when none. */
export const GET = handleErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const ownerId = requireIdentity(request);
  const after = lastEventId(request);
  const { run } = await chatRunState(chatId, ownerId);
  if (!run) return new Response(null, { status: 204 });
  return runStreamResponse(run.id, request, after);
});

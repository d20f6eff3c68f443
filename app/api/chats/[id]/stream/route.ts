import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { lastEventId, sseResponse } from '@/lib/http/sse';
import { chatRunState } from '@/lib/chats/run-state';
import { runEventStream } from '@/lib/runs/subscribe';
import { RUN_ID_HEADER } from '@/lib/wire';

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
  return sseResponse(runEventStream(run.id, after, request.signal), { [RUN_ID_HEADER]: run.id });
});

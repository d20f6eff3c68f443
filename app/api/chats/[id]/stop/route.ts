import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { stopRun } from '@/lib/runs/run';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Stops the chat's active run from any tab or instance; `{ stopped: false }` when none is running. */
export const POST = handleErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  return Response.json(await stopRun(chatId, requireIdentity(request)));
});

import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { parseOptionalJsonBody, parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { assertSameOrigin } from '@/lib/http/guard';
import { stopRun } from '@/lib/runs/run';
import { STOP_MAX_BODY_BYTES, stopSchema } from './schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Stops the chat's active run from any tab or instance; `{ stopped: false }` when none is running. */
export const POST = handleErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request);
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const ownerId = requireIdentity(request);
  await parseOptionalJsonBody(request, stopSchema, STOP_MAX_BODY_BYTES);
  return Response.json(await stopRun(chatId, ownerId));
});

import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { parseJsonBody, parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { assertSameOrigin } from '@/lib/http/guard';
import { switchBranch } from '@/lib/chats/branch';
import { SWITCH_MAX_BODY_BYTES, switchBranchSchema } from './schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Makes the path through a message the chat's active path; answers with that path. */
export const POST = handleErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request);
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const ownerId = requireIdentity(request);
  const { messageId } = await parseJsonBody(request, switchBranchSchema, SWITCH_MAX_BODY_BYTES);
  return Response.json({ messages: await switchBranch(chatId, ownerId, messageId) });
});

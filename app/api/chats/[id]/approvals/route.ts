import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { getConfig } from '@/lib/config';
import { parseJsonBody, parseParam } from '@/lib/http/body';
import { handleErrors } from '@/lib/http/errors';
import { assertSameOrigin } from '@/lib/http/guard';
import { limitRunStarts } from '@/lib/ratelimit';
import { answerApproval } from '@/lib/runs/approvals';
import { runStreamResponse } from '@/lib/runs/subscribe';
import { postApprovalSchema } from './schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const maxDuration = 300;

/** Answers a tool call waiting for approval and follows the run that goes on with the answer. */
export const POST = handleErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request);
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const ownerId = requireIdentity(request);
  const body = await parseJsonBody(request, postApprovalSchema, getConfig().maxBodyBytes);
  await limitRunStarts(ownerId);
  const run = await answerApproval({ chatId, ownerId, ...body, reason: body.reason || undefined });
  return runStreamResponse(run.id, request);
});

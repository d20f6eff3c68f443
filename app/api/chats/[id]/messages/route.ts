import { requireIdentity } from '@/lib/auth/identity';
import { idSchema } from '@/lib/chat/ids';
import { getConfig } from '@/lib/config';
import { parseJsonBody, parseParam } from '@/lib/http/body';
import { handleErrors, HttpError } from '@/lib/http/errors';
import { assertSameOrigin } from '@/lib/http/guard';
import { limitRunStarts } from '@/lib/ratelimit';
import { startRun } from '@/lib/runs/run';
import { runStreamResponse } from '@/lib/runs/subscribe';
import { postMessageSchema } from './schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const maxDuration = 300;

/** Saves the message, starts a run, and follows it from its first frame. */
export const POST = handleErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request);
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const ownerId = requireIdentity(request);
  const config = getConfig();
  const body = await parseJsonBody(request, postMessageSchema, config.maxBodyBytes);
  const text = body.message.parts.map((part) => part.text).join('\n');
  if (text.trim() === '') throw new HttpError(400, 'empty_message', 'The message is empty.');
  if (text.length > config.maxMessageChars) {
    throw new HttpError(400, 'message_too_long', `The message is longer than ${config.maxMessageChars} characters.`);
  }
  await limitRunStarts(ownerId);
  const run = await startRun({ chatId, ownerId, message: { id: body.message.id, text }, parentId: body.parentId, modelId: body.model });
  return runStreamResponse(run.id, request);
});

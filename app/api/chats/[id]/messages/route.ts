import { createUIMessageStreamResponse } from 'ai';
import { idSchema } from '@/lib/chat/ids';
import { getConfig } from '@/lib/config';
import { parseJsonBody, parseParam } from '@/lib/http/body';
import { handleErrors, HttpError } from '@/lib/http/errors';
import { sendMessage } from '@/lib/runs/send-message';
import { postMessageSchema } from './schema';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const maxDuration = 300;

export const POST = handleErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const chatId = parseParam((await context.params).id, idSchema, 'chat_id');
  const config = getConfig();
  const body = await parseJsonBody(request, postMessageSchema, config.maxBodyBytes);
  const text = body.message.parts.map((part) => part.text).join('\n');
  if (text.trim() === '') throw new HttpError(400, 'empty_message', 'The message is empty.');
  if (text.length > config.maxMessageChars) {
    throw new HttpError(400, 'message_too_long', `The message is longer than ${config.maxMessageChars} characters.`);
  }
  const stream = await sendMessage({
    chatId,
    message: { id: body.message.id, text },
    modelId: body.model,
    signal: request.signal,
  });
  return createUIMessageStreamResponse({ stream, headers: { 'x-chat-id': chatId } });
});

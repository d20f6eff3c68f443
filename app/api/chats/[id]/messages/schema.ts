import { z } from 'zod';
import { idSchema } from '@/lib/chat/ids';

const textPart = z.object({ type: z.literal('text'), text: z.string() });

/** POST /api/chats/{id}/messages: the new user message and, optionally, the model to answer it. */
export const postMessageSchema = z.object({
  message: z.object({
    id: idSchema.optional(),
    role: z.literal('user'),
    parts: z.array(textPart).min(1, 'must hold at least one text part').max(20),
    metadata: z.unknown().optional(),
  }),
  model: z.string().min(1).max(200).optional(),
});

export type PostMessageBody = z.infer<typeof postMessageSchema>;

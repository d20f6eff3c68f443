import { z } from 'zod';
import { idSchema } from '@/lib/chat/ids';

/** A text part as useChat makes it; `state` and `providerMetadata` may come back on a retried message. */
const textPart = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  state: z.enum(['streaming', 'done']).optional(),
  providerMetadata: z.record(z.string(), z.unknown()).optional(),
});

/**
 * POST /api/chats/{id}/messages: the new user message and, optionally, the model to answer it.
 * Strict: an unknown field is a client bug (or a probe), answered 400. The message's `metadata`
 * (useChat may set it) is allowed and ignored.
 */
export const postMessageSchema = z.strictObject({
  message: z.strictObject({
    id: idSchema.optional(),
    role: z.literal('user'),
    parts: z.array(textPart).min(1, 'must hold at least one text part').max(20),
    metadata: z.unknown().optional(),
  }),
  model: z.string().min(1).max(200).optional(),
  /** The message the new one follows (an edit: the edited message's parent); null: a first message. Omitted: after the active path. */
  parentId: idSchema.nullable().optional(),
});

import { z } from 'zod';

/** GET /api/chats: `q`, when given and not blank, searches the caller's chats instead of listing them all. */
export const chatsQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
});

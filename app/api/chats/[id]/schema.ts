import { z } from 'zod';
import { CHAT_TITLE_MAX_CHARS, normalizeTitle } from '@/lib/chats/title';

/** PATCH /api/chats/{id}: the chat's new title, kept on one line and trimmed, 1–100 characters. */
export const renameSchema = z.strictObject({
  title: z
    .string()
    .transform(normalizeTitle)
    .pipe(z.string().min(1, 'must not be empty').max(CHAT_TITLE_MAX_CHARS, `must be at most ${CHAT_TITLE_MAX_CHARS} characters`)),
});

/** Largest rename body read: a 100-character title, escaped, with room to spare. */
export const RENAME_MAX_BODY_BYTES = 4_096;

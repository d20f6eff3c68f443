import { z } from 'zod';

/** Longest title a chat may be given. */
export const CHAT_TITLE_MAX_CHARS = 100;

/** A title as a person gives it: on one line (runs of whitespace become one space), trimmed, 1–100 characters. */
export const chatTitleSchema = z
  .string()
  .transform((title) => title.replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1, 'must not be empty').max(CHAT_TITLE_MAX_CHARS, `must be at most ${CHAT_TITLE_MAX_CHARS} characters`));

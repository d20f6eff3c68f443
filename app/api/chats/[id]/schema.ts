import { z } from 'zod';
import { chatTitleSchema } from '@/lib/chats/title';

/** PATCH /api/chats/{id}: the chat's new title. */
export const renameSchema = z.strictObject({ title: chatTitleSchema });

/** Largest rename body read: a 100-character title, escaped, with room to spare. */
export const RENAME_MAX_BODY_BYTES = 4_096;

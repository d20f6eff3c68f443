import { z } from 'zod';
import { idSchema } from '@/lib/chat/ids';

/** POST /api/chats/{id}/active: the message whose path to show. */
export const switchBranchSchema = z.strictObject({ messageId: idSchema });

/** Largest body read: one id with room for whitespace. */
export const SWITCH_MAX_BODY_BYTES = 1_024;

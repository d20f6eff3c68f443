import { z } from 'zod';

/** POST /api/chats/{id}/stop: an empty JSON object, or no body at all. */
export const stopSchema = z.strictObject({});

/** Largest stop body read: `{}` with room for whitespace. */
export const STOP_MAX_BODY_BYTES = 1_024;

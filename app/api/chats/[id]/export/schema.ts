import { z } from 'zod';

/** GET /api/chats/{id}/export: `format` is `md` (the default) or `json`. */
export const exportQuerySchema = z.object({
  format: z.enum(['md', 'json']).default('md'),
});

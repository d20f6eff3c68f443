import { z } from 'zod';

/** Chat and message ids: URL-safe, as the client's id generator makes them. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "-" or "_"');

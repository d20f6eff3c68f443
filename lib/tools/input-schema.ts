import { zodSchema, type Schema } from 'ai';
import type { z } from 'zod';

/**
 * A tool's input schema, converted to JSON Schema once: the SDK sends every tool's schema with every model
 * call and would convert a bare zod schema again each time.
 */
export function toolInput<Input>(schema: z.ZodType<Input>): Schema<Input> {
  return zodSchema(schema);
}

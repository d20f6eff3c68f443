import { zodSchema, type Schema } from 'ai';
import type { z } from 'zod';

/**
 * A tool's input schema, converted to JSON Schema once. The SDK sends every tool's JSON Schema with
 * every model call; given a bare zod schema it converts it again on each call (a few hundred µs and
 * tens of KB of garbage per tool per step), while a schema wrapped here keeps its conversion.
 */
export function toolInput<Input>(schema: z.ZodType<Input>): Schema<Input> {
  return zodSchema(schema);
}

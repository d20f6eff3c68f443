import type { z } from 'zod';
import { HttpError } from '@/lib/http/errors';
import { assertJsonContentType } from '@/lib/http/guard';

/** Reads at most `maxBytes` of the body; a larger body is refused without reading it all. */
async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpError(413, 'body_too_large', `The request body is larger than ${maxBytes} bytes.`);
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch {
      // The client went away mid-upload, or sent a broken body.
      throw new HttpError(400, 'body_unreadable', 'The request body could not be read.');
    }
    const { done, value } = read;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new HttpError(413, 'body_too_large', `The request body is larger than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const MAX_ISSUE_CHARS = 160;
const MAX_ISSUES_CHARS = 600;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A short description of what is wrong; clipped, since it may quote the client's own (huge) keys. */
function describeIssues(error: z.ZodError): string {
  const text = error.issues
    .slice(0, 5)
    .map((issue) => clip(issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message, MAX_ISSUE_CHARS))
    .join('; ');
  return clip(text, MAX_ISSUES_CHARS);
}

function decodeJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text);
  } catch {
    // Also a nesting deep enough to exhaust the parser's stack (RangeError).
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
}

function validate<Schema extends z.ZodType>(json: unknown, schema: Schema): z.output<Schema> {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, 'invalid_body', `Invalid request body: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Parses a JSON request body against a zod schema: 415 not JSON, 413 too large, 400 invalid. */
export async function parseJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  maxBytes: number,
): Promise<z.output<Schema>> {
  assertJsonContentType(request);
  return validate(decodeJson(await readLimited(request, maxBytes)), schema);
}

/**
 * Like `parseJsonBody` for a body the client may leave out: an empty body (with or without a
 * content type) reads as `{}`; a body that is there must be JSON (415 otherwise).
 */
export async function parseOptionalJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  maxBytes: number,
): Promise<z.output<Schema>> {
  if (request.headers.has('content-type')) assertJsonContentType(request);
  const bytes = await readLimited(request, maxBytes);
  if (bytes.byteLength === 0) return validate({}, schema);
  assertJsonContentType(request);
  return validate(decodeJson(bytes), schema);
}

/** Validates a route parameter (e.g. a chat id): 400 when it does not fit. */
export function parseParam<Schema extends z.ZodType>(
  value: unknown,
  schema: Schema,
  name: 'chat_id' | 'format' | 'query',
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, `invalid_${name}`, `Invalid ${name.replace(/_/g, ' ')}.`);
  return parsed.data;
}

/** Every `code` of an error answer `{ error: { code, message } }`: the server sends only these. */
export const API_ERROR_CODES = [
  'approval_answered',
  'body_too_large',
  'body_unreadable',
  'chat_not_found',
  'cross_site',
  'empty_message',
  'internal_error',
  'invalid_approval',
  'invalid_body',
  'invalid_chat_id',
  'invalid_format',
  'invalid_json',
  'invalid_last_event_id',
  'invalid_message_id',
  'invalid_parent',
  'invalid_path',
  'invalid_query',
  'message_not_found',
  'message_too_long',
  'method_not_allowed',
  'model_unavailable',
  'no_identity',
  'parent_not_found',
  'rate_limited',
  'run_active',
  'service_unavailable',
  'unknown_model',
  'unsupported_media_type',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(API_ERROR_CODES);

export function isApiErrorCode(code: string): code is ApiErrorCode {
  return KNOWN_CODES.has(code);
}

/** Builds real `Request`s for the route handlers, as Next.js hands them over. */
export function jsonRequest(url: string, body: unknown, init: { method?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(`http://localhost${url}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function userMessage(text: string, id?: string) {
  return { message: { ...(id ? { id } : {}), role: 'user' as const, parts: [{ type: 'text' as const, text }] } };
}

/** The `{ params }` context Next.js passes to a dynamic route handler. */
export function params<T extends Record<string, string>>(value: T): { params: Promise<T> } {
  return { params: Promise.resolve(value) };
}

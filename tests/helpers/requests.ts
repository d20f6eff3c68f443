import { IDENTITY_COOKIE, signIdentity } from '@/lib/auth/identity';

/** The Cookie header of a signed identity, as the proxy gives a browser. */
export function identityCookie(identity: string): Record<string, string> {
  return { cookie: `${IDENTITY_COOKIE}=${signIdentity(identity)}` };
}

/** Builds real `Request`s for the route handlers, as Next.js hands them over (with an identity cookie). */
export function jsonRequest(
  url: string,
  body: unknown,
  init: { method?: string; headers?: Record<string, string>; identity?: string; signal?: AbortSignal } = {},
): Request {
  return new Request(`http://localhost${url}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...identityCookie(init.identity ?? 'test-user'), ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

/** A body-less request (GET, DELETE, the stop POST) with an identity cookie. */
export function plainRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; identity?: string; signal?: AbortSignal } = {},
): Request {
  return new Request(`http://localhost${url}`, {
    method: init.method ?? 'GET',
    headers: { ...identityCookie(init.identity ?? 'test-user'), ...init.headers },
    signal: init.signal,
  });
}

export function userMessage(text: string, id?: string) {
  return { message: { ...(id ? { id } : {}), role: 'user' as const, parts: [{ type: 'text' as const, text }] } };
}

/** The `{ params }` context Next.js passes to a dynamic route handler. */
export function params<T extends Record<string, string>>(value: T): { params: Promise<T> } {
  return { params: Promise.resolve(value) };
}

import http from 'node:http';
import type { ApiErrorCode } from '@/lib/http/error-codes';

/**
 * Methods the Fetch standard forbids but Node's parser accepts, on which Next.js answers a bare 500 before the
 * proxy runs. CONNECT never reaches 'request' and TRACK is refused by Node's parser, so neither is listed.
 */
const FORBIDDEN_METHODS = new Set(['TRACE']);

const PATCHED = Symbol.for('maestro.http.forbiddenMethodsRefused');
type PatchedServer = typeof http.Server.prototype & { [PATCHED]?: true };

/**
 * Answers TRACE with 405 (JSON, with `Allow`) in every HTTP server of this process,
 * before Next.js sees them. Next offers no hook ahead of the `Request` it makes, so this wraps the
 * servers' `emit` of 'request'; everything else passes through untouched. Idempotent.
 */
export function refuseForbiddenMethods(): void {
  const prototype = http.Server.prototype as PatchedServer;
  if (prototype[PATCHED]) return;
  prototype[PATCHED] = true;
  const emit = prototype.emit;
  prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      if (FORBIDDEN_METHODS.has(request.method ?? '')) {
        const code: ApiErrorCode = 'method_not_allowed';
        const body = JSON.stringify({ error: { code, message: `${request.method} is not supported.` } });
        response.writeHead(405, {
          allow: 'GET, HEAD, POST, PATCH, DELETE, OPTIONS',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        });
        response.end(body);
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof prototype.emit;
}

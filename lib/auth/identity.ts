import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getConfig, type Config } from '@/lib/config';
import { HttpError } from '@/lib/http/errors';

/**
 * Anonymous identities: each browser gets a random id in a signed, HttpOnly, SameSite=Lax cookie.
 * Chats belong to the identity that created them; every other identity sees 404.
 */
export const IDENTITY_COOKIE = 'maestro_id';
export const IDENTITY_MAX_AGE_S = 400 * 24 * 60 * 60;

const SECRET_FILE = 'auth-secret';
let cachedSecret: { key: string; secret: string } | undefined;

/** AUTH_SECRET, or a secret generated once into the data folder (shared by processes that share it). */
export function authSecret(config: Config = getConfig()): string {
  const key = `${config.authSecret ?? ''}|${config.dataDir}`;
  if (cachedSecret?.key === key) return cachedSecret.secret;
  const secret = config.authSecret ?? readOrCreateSecretFile(config.dataDir);
  cachedSecret = { key, secret };
  return secret;
}

function readOrCreateSecretFile(dataDir: string): string {
  const file = path.join(dataDir, SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx' fails when the file exists, so two processes starting at once agree on one secret.
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret; delete it or set AUTH_SECRET.`);
  return secret;
}

function signature(id: string, secret: string): string {
  return createHmac('sha256', secret).update(id).digest('base64url');
}

export function signIdentity(id: string, secret: string = authSecret()): string {
  return `${id}.${signature(id, secret)}`;
}

/** The identity id in a cookie value, or null when it is missing, malformed or not signed by us. */
export function verifyIdentity(value: string | undefined, secret: string = authSecret()): string | null {
  if (!value) return null;
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return null;
  const id = value.slice(0, dot);
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) return null;
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(signature(id, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

export function newIdentityId(): string {
  return randomUUID();
}

export function identityCookieHeader(value: string, secure: boolean): string {
  return `${IDENTITY_COOKIE}=${value}; Path=/; Max-Age=${IDENTITY_MAX_AGE_S}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The identity a request carries (the value of its valid identity cookie), or a new one when it
 * carries none: `created` says which. A client that keeps its cookie keeps its identity.
 */
export function identityOrNew(cookieHeader: string | null): { value: string; created: boolean } {
  const value = readCookie(cookieHeader, IDENTITY_COOKIE);
  if (value !== undefined && verifyIdentity(value)) return { value, created: false };
  return { value: signIdentity(newIdentityId()), created: true };
}

/** The caller's identity; 401 when the request carries no valid identity cookie. */
export function requireIdentity(request: Request): string {
  const id = verifyIdentity(readCookie(request.headers.get('cookie'), IDENTITY_COOKIE));
  if (!id) throw new HttpError(401, 'no_identity', 'No identity: load the app once to get one, and send its cookie.');
  return id;
}

import { cookies } from 'next/headers';
import { IDENTITY_COOKIE, verifyIdentity } from '@/lib/auth/identity';

/** The identity of the request a server component renders (set by proxy.ts), or null. */
export async function currentIdentity(): Promise<string | null> {
  return verifyIdentity((await cookies()).get(IDENTITY_COOKIE)?.value);
}

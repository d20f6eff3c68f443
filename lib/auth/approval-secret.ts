import { createHmac } from 'node:crypto';
import { authSecret } from '@/lib/auth/identity';

/**
 * The key that signs tool approvals (the AI SDK's `experimental_toolApprovalSecret`): derived from
 * the server secret, so every instance that shares AUTH_SECRET (or the data folder's secret) signs
 * and verifies alike, while an identity cookie's signature can never pass for an approval's.
 */
export function toolApprovalSecret(): Uint8Array {
  return createHmac('sha256', authSecret()).update('maestro tool approval v1').digest();
}

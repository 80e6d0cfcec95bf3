// One Lease per (token, namespace) scope (SPEC §10.1). The name is a hash so that the token (a workspace
// secret) never appears in the API server; both parts are length-prefixed so that ("ab", "c") and
// ("a", "bc") can never share a Lease.

import { createHash } from 'node:crypto';
import { LEASE_NAME_PREFIX } from './constants.ts';

export function buildLeaseName(token: string, namespace: string): string {
  const hash = createHash('sha256');
  for (const part of [token, namespace]) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  }
  return LEASE_NAME_PREFIX + hash.digest('hex');
}

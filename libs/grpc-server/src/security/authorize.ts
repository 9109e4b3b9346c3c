import { status, type Metadata } from '@grpc/grpc-js';
import { GrpcStatusError } from '../status-error';
import { requiredRole } from './method-roles';
import type { TokenStore } from './token-store';
import type { TokenEntry } from './tokens-file';

/**
 * Decides one call: undefined when the method needs no token, the caller's
 * entry when its token carries the role. Throws UNAUTHENTICATED for a
 * missing, malformed or unknown token and PERMISSION_DENIED naming the
 * missing role. Messages never contain the token.
 */
export function authorizeCall(tokens: TokenStore, path: string, metadata: Metadata): TokenEntry | undefined {
  const role = requiredRole(path);
  if (role === undefined) return undefined;
  const values = metadata.get('authorization');
  const header = values.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
  const match = header === undefined ? null : /^Bearer ([\x21-\x7e]{1,512})$/i.exec(header.trim());
  if (!match?.[1]) throw new GrpcStatusError(status.UNAUTHENTICATED, 'missing bearer token (metadata "authorization: Bearer <token>")');
  const entry = tokens.lookup(match[1]);
  if (!entry) throw new GrpcStatusError(status.UNAUTHENTICATED, 'unknown bearer token');
  if (!entry.roles.includes(role) && !entry.roles.includes('admin')) {
    throw new GrpcStatusError(status.PERMISSION_DENIED, `token "${entry.name}" lacks the role "${role}" needed for ${path}`);
  }
  return entry;
}

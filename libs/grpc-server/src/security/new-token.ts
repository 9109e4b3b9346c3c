import { randomBytes } from 'node:crypto';
import { ROLES, sha256Of, type Role } from './tokens-file';

/** A fresh bearer token (32 random bytes, base64url) and its AUTH_TOKENS_FILE line. */
export function newToken(name: string, roles: readonly Role[]): { token: string; line: string } {
  if (name.trim() === '') throw new Error('--name must not be empty');
  if (roles.length === 0 || roles.some((role) => !ROLES.includes(role))) throw new Error(`--roles must be a comma-separated list of ${ROLES.join(', ')}`);
  const token = randomBytes(32).toString('base64url');
  return { token, line: JSON.stringify({ name, roles: [...new Set(roles)], sha256: sha256Of(token).toString('hex') }) };
}

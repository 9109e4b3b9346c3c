import { createHash, timingSafeEqual } from 'node:crypto';

export const ROLES = ['append', 'read', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** One client of the tokens file: a name, its roles and the SHA-256 of its bearer token. */
export interface TokenEntry {
  readonly name: string;
  readonly roles: readonly Role[];
  readonly sha256: Buffer;
}

export class TokensFileError extends Error {
  override readonly name = 'TokensFileError';
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

/**
 * Parses the AUTH_TOKENS_FILE format: one JSON object per line,
 * `{"name":"adder","roles":["read"],"sha256":"<64 hex digits>"}`; blank lines
 * and lines starting with `#` are ignored. Throws a {@link TokensFileError}
 * naming the first bad line (1-based). Never holds or prints a token.
 */
export function parseTokensFile(text: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  const names = new Set<string>();
  const hashes = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new TokensFileError(line, 'is not a JSON object');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TokensFileError(line, 'is not a JSON object');
    const { name, roles, sha256 } = parsed as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '') throw new TokensFileError(line, '"name" must be a non-empty string');
    if (!Array.isArray(roles) || roles.length === 0) throw new TokensFileError(line, `"roles" must be a non-empty array of ${ROLES.join(', ')}`);
    for (const role of roles) {
      if (!ROLES.includes(role as Role)) throw new TokensFileError(line, `unknown role ${JSON.stringify(role)} (roles: ${ROLES.join(', ')})`);
    }
    if (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) throw new TokensFileError(line, '"sha256" must be 64 hex digits');
    if (names.has(name)) throw new TokensFileError(line, `name "${name}" appears twice`);
    if (hashes.has(sha256.toLowerCase())) throw new TokensFileError(line, 'the same token hash appears twice');
    names.add(name);
    hashes.add(sha256.toLowerCase());
    entries.push({ name, roles: [...new Set(roles as Role[])], sha256: Buffer.from(sha256, 'hex') });
  });
  return entries;
}

export function sha256Of(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * The entry whose hash matches `token`, or undefined. The token is hashed
 * first, so every comparison is between two 32-byte digests, done with
 * `timingSafeEqual` over all entries (no early exit), so timing tells
 * nothing about how close a guess was.
 */
export function findToken(entries: readonly TokenEntry[], token: string): TokenEntry | undefined {
  const digest = sha256Of(token);
  let found: TokenEntry | undefined;
  for (const entry of entries) {
    if (timingSafeEqual(entry.sha256, digest) && found === undefined) found = entry;
  }
  return found;
}

import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { ConfigError } from '@hello-es/process';
import type { Logger } from '@hello-es/process';
import { findToken, parseTokensFile, TokensFileError, type TokenEntry } from './tokens-file';

/** How often AUTH_TOKENS_FILE is polled for a change: a revoked token stops working within about this long. */
export const TOKENS_POLL_MS = 1_000;

/**
 * The tokens of AUTH_TOKENS_FILE, re-read when the file changes (polled) or
 * on `reload()` (SIGHUP). A malformed file at start is a ConfigError naming
 * the line; a malformed file on reload keeps the previous tokens and logs an
 * error. Listeners hear about every successful reload, so open streams of a
 * revoked token can be ended.
 */
export class TokenStore {
  private entries: readonly TokenEntry[];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
    private readonly variable = 'AUTH_TOKENS_FILE',
  ) {
    try {
      this.entries = this.read();
    } catch (error: unknown) {
      if (error instanceof TokensFileError) throw new ConfigError(variable, `names "${file}", which is malformed at ${error.message}`);
      throw new ConfigError(variable, `names "${file}", which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    watchFile(file, { interval: TOKENS_POLL_MS, persistent: false }, this.onFileChange);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The client a bearer token belongs to, compared in constant time. */
  lookup(token: string): TokenEntry | undefined {
    return findToken(this.entries, token);
  }

  /** Whether an entry (by identity) is still in the current set. */
  isCurrent(entry: TokenEntry): boolean {
    return this.entries.some((candidate) => candidate.sha256.equals(entry.sha256) && sameRoles(candidate, entry));
  }

  onReload(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  reload(reason: string): boolean {
    try {
      this.entries = this.read();
    } catch (error: unknown) {
      const problem = error instanceof Error ? error.message : String(error);
      this.logger.error({ variable: this.variable, reason, problem }, 'tokens file reload failed; keeping the previous tokens');
      return false;
    }
    this.logger.info({ reason, clients: this.entries.length }, 'tokens file reloaded');
    for (const listener of this.listeners) listener();
    return true;
  }

  close(): void {
    unwatchFile(this.file, this.onFileChange);
    this.listeners.clear();
  }

  private readonly onFileChange = (): void => void this.reload('file changed');

  private read(): TokenEntry[] {
    return parseTokensFile(readFileSync(this.file, 'utf8'));
  }
}

function sameRoles(a: TokenEntry, b: TokenEntry): boolean {
  return a.roles.length === b.roles.length && a.roles.every((role) => b.roles.includes(role));
}

import { readFileSync, statSync } from 'node:fs';
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
  /** The file's stat when it was last read: a poll reloads when it differs. */
  private readSignature = '';
  private readonly poll: NodeJS.Timeout;

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
    // Our own poll rather than fs.watchFile: watchFile takes its baseline
    // asynchronously, so a change made right after start could go unseen
    // until the next one. The signature is taken before each read instead.
    this.poll = setInterval(() => {
      if (signatureOf(this.file) !== this.readSignature) this.reload('file changed');
    }, TOKENS_POLL_MS);
    this.poll.unref();
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
    clearInterval(this.poll);
    this.listeners.clear();
  }

  private read(): TokenEntry[] {
    // Taken first: a write during the read changes the stat again, so the next poll reads once more.
    this.readSignature = signatureOf(this.file);
    return parseTokensFile(readFileSync(this.file, 'utf8'));
  }
}

/** What a poll compares: inode, size and modification time; "missing" if the file cannot be stat'ed. */
function signatureOf(file: string): string {
  try {
    const stat = statSync(file, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
  } catch {
    return 'missing';
  }
}

function sameRoles(a: TokenEntry, b: TokenEntry): boolean {
  return a.roles.length === b.roles.length && a.roles.every((role) => b.roles.includes(role));
}

/** Most peers remembered; beyond it the oldest are forgotten (bounded memory under a flood). */
const MAX_KEYS = 10_000;

/**
 * Rate-limits log lines per key (a peer): `shouldLog(key)` is true at most
 * once per interval for each key.
 */
export class OncePerInterval {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  shouldLog(key: string): boolean {
    const now = this.now();
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    this.last.delete(key);
    this.last.set(key, now);
    if (this.last.size > MAX_KEYS) {
      const oldest = this.last.keys().next();
      if (!oldest.done) this.last.delete(oldest.value);
    }
    return true;
  }
}

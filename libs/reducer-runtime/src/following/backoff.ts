/**
 * Capped exponential backoff with jitter for reconnecting to the event log.
 * Attempt n waits a random time in [base/2, base], base = min(max, initial·2^(n-1)):
 * never zero (no hot loop), and reducers that lost the log together do not
 * all come back in the same millisecond.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** How many attempts failed in a row since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** Records a failed attempt and returns how long to wait before the next. */
  nextDelayMs(): number {
    this.failures += 1;
    const exponent = Math.min(this.failures - 1, 30);
    const base = Math.min(this.maxMs, this.initialMs * 2 ** exponent);
    return Math.round(base / 2 + (base / 2) * this.random());
  }

  /** Called after success (caught up): the next failure starts from the initial delay. */
  reset(): void {
    this.failures = 0;
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

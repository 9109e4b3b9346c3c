/**
 * One shared "head advanced" notification for every waiting subscription:
 * a set of wake-up callbacks, emptied at each advance, so waiting costs no
 * queue per subscriber, and an aborted wait removes itself at once (no
 * leftover reactions piling up on a quiet log).
 */
export class HeadNotifier {
  private waiters = new Set<() => void>();

  constructor(private readonly head: () => bigint) {}

  /** Wakes everyone waiting; called after the head advanced. */
  advanced(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /** Resolves once the head is beyond `offset` or `signal` aborts. */
  async waitBeyond(offset: bigint, signal: AbortSignal): Promise<void> {
    while (this.head() <= offset && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** How many waits are pending (for tests and diagnostics). */
  get waiting(): number {
    return this.waiters.size;
  }
}

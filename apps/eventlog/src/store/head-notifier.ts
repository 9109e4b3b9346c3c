/**
 * One shared "head advanced" notification for every waiting subscription:
 * a set of wake-up callbacks, emptied at each advance, so waiting costs no
 * queue per subscriber, and an aborted wait removes itself at once (no
 * leftover reactions piling up on a quiet log).
 *
 * A live subscription waits once per batch, so at one append at a time that
 * is once per append per subscriber: each signal gets ONE abort listener for
 * its whole life (kept in a WeakMap) instead of an add and a remove per wait
 * (Node's EventTarget makes those a measurable share of a small append).
 */
export class HeadNotifier {
  private waiters = new Set<() => void>();
  /** The waits pending under each signal, woken by its one abort listener. */
  private readonly bySignal = new WeakMap<AbortSignal, Set<() => void>>();

  constructor(private readonly head: () => bigint) {}

  /** Wakes everyone waiting; called after the head advanced. */
  advanced(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /** Resolves once the head is beyond `offset` or `signal` aborts. */
  waitBeyond(offset: bigint, signal: AbortSignal): Promise<void> {
    if (this.head() > offset || signal.aborted) return Promise.resolve();
    const underSignal = this.waitsUnder(signal);
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        if (this.head() > offset || signal.aborted) {
          underSignal.delete(wake);
          resolve();
        } else {
          // Advanced, but not beyond this offset yet: wait for the next advance.
          this.waiters.add(wake);
        }
      };
      this.waiters.add(wake);
      underSignal.add(wake);
    });
  }

  private waitsUnder(signal: AbortSignal): Set<() => void> {
    let waits = this.bySignal.get(signal);
    if (waits === undefined) {
      const created = new Set<() => void>();
      this.bySignal.set(signal, created);
      signal.addEventListener(
        'abort',
        () => {
          for (const wake of created) {
            this.waiters.delete(wake);
            wake();
          }
        },
        { once: true },
      );
      waits = created;
    }
    return waits;
  }

  /** How many waits are pending (for tests and diagnostics). */
  get waiting(): number {
    return this.waiters.size;
  }
}

import { MinOffsetNotReached, TooManyWaiters, WaitCancelled } from './errors';

/** One consistent view of the reducer: value, position and log. */
export interface StateView<S = bigint> {
  readonly value: S;
  readonly nextOffset: bigint;
  readonly logId: string;
}

interface Waiter<S> {
  readonly minNextOffset: bigint;
  readonly resolve: (state: StateView<S>) => void;
  readonly reject: (error: unknown) => void;
}

/** At most this many GetState calls may wait at once; more get TooManyWaiters (RESOURCE_EXHAUSTED). */
export const DEFAULT_MAX_WAITERS = 10_000;

/**
 * The reducer's current state, with waiters for read-your-writes
 * (`min_next_offset`) and a version that watchers follow.
 */
export class ReducerState<S = bigint> {
  private current: StateView<S>;
  private changeVersion = 0;
  private readonly waiters = new Set<Waiter<S>>();
  private readonly listeners = new Set<() => void>();
  private closedWith: Error | undefined;

  constructor(
    initial: StateView<S>,
    private readonly maxWaiters: number = DEFAULT_MAX_WAITERS,
  ) {
    this.current = initial;
  }

  get view(): StateView<S> {
    return this.current;
  }

  /** Increases on every change; watchers compare it to what they last sent. */
  get version(): number {
    return this.changeVersion;
  }

  get waiting(): number {
    return this.waiters.size;
  }

  /** Replaces the state, wakes the waiters it satisfies and notifies watchers. */
  set(next: StateView<S>): void {
    this.current = next;
    this.changeVersion += 1;
    for (const waiter of this.waiters) {
      if (next.nextOffset >= waiter.minNextOffset) {
        this.waiters.delete(waiter);
        waiter.resolve(next);
      }
    }
    for (const listener of this.listeners) listener();
  }

  /**
   * Resolves with the state once `nextOffset >= minNextOffset`. Rejects with
   * MinOffsetNotReached after `timeoutMs`, WaitCancelled when the signal
   * aborts, TooManyWaiters when too many calls wait already, and the close
   * error after close(). The waiter is removed in every case.
   */
  waitFor(minNextOffset: bigint, timeoutMs: number, signal: AbortSignal): Promise<StateView<S>> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.current.nextOffset >= minNextOffset) return Promise.resolve(this.current);
    if (signal.aborted) return Promise.reject(new WaitCancelled());
    if (this.waiters.size >= this.maxWaiters) {
      return Promise.reject(new TooManyWaiters(this.maxWaiters));
    }
    return new Promise<StateView<S>>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter<S> = {
        minNextOffset,
        resolve: (state) => {
          cleanup();
          resolve(state);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      const onAbort = (): void => waiter.reject(new WaitCancelled());
      const timer = setTimeout(() => {
        waiter.reject(new MinOffsetNotReached(minNextOffset, this.current.nextOffset, timeoutMs));
      }, timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  /** Calls `listener` after every change until the returned function is called. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fails every current and future waiter with `error` (shutdown). */
  close(error: Error): void {
    this.closedWith = error;
    for (const waiter of [...this.waiters]) waiter.reject(error);
  }
}

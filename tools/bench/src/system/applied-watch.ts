import type { ClientReadableStream } from '@grpc/grpc-js';
import type { ReducerServiceClient, WatchStateResponse } from '@hello-es/contracts';
import { deferred, withTimeout, type Deferred } from '@hello-es/test-support';

/** One reducer's WatchState stream: when (performance.now()) it reported which next offset. */
class ReducerTimeline {
  readonly offsets: number[] = [];
  readonly times: number[] = [];
  readonly first = deferred();
  private waiters: { offset: number; done: Deferred<number> }[] = [];

  record(offset: number, time: number): void {
    this.offsets.push(offset);
    this.times.push(time);
    this.first.resolve();
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.offset <= offset);
    this.waiters = this.waiters.filter((w) => w.offset > offset);
    for (const waiter of ready) waiter.done.resolve(time);
  }

  latest(): number {
    return this.offsets[this.offsets.length - 1] ?? -1;
  }

  /** When the reducer first reported a next offset ≥ `offset` (binary search), or undefined. */
  reachedAt(offset: number): number | undefined {
    let low = 0;
    let high = this.offsets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.offsets[middle] as number) >= offset) high = middle;
      else low = middle + 1;
    }
    return this.times[low];
  }

  waitFor(offset: number): Promise<number> {
    const at = this.reachedAt(offset);
    if (at !== undefined) return Promise.resolve(at);
    const done = deferred<number>();
    this.waiters.push({ offset, done });
    return done.promise;
  }

  fail(error: unknown): void {
    this.first.reject(error);
    for (const waiter of this.waiters) waiter.done.reject(error);
    this.waiters = [];
  }
}

/**
 * Follows the reducers' WatchState streams to learn when each append was
 * applied in every reducer. Passive: unlike a GetState per append it adds no
 * calls to the load, and it sees what a client of the read model would see.
 * A watcher gets coalesced states, so "applied" is the first state whose next
 * offset covers the append: at most one state message late.
 */
export class AppliedWatch {
  private readonly timelines: ReducerTimeline[] = [];
  private readonly streams: ClientReadableStream<WatchStateResponse>[] = [];
  private closed = false;

  constructor(clients: readonly ReducerServiceClient[]) {
    for (const client of clients) {
      const timeline = new ReducerTimeline();
      const stream = client.watchState({});
      stream.on('data', (message: WatchStateResponse) => {
        timeline.record(Number(message.state?.nextOffset ?? 0n), performance.now());
      });
      stream.on('error', (error: Error) => {
        if (!this.closed) timeline.fail(error);
      });
      stream.on('end', () => {
        if (!this.closed) timeline.fail(new Error('a WatchState stream ended'));
      });
      this.timelines.push(timeline);
      this.streams.push(stream);
    }
  }

  /** Resolves once every stream has sent its first state (the current one). */
  ready(timeoutMs = 20_000): Promise<void> {
    return withTimeout(Promise.all(this.timelines.map((t) => t.first.promise)).then(() => undefined), timeoutMs, 'the first WatchState message');
  }

  /** Resolves with the time every reducer had reported a next offset ≥ `offset`. */
  async allReached(offset: number, timeoutMs: number): Promise<number> {
    const times = await withTimeout(
      Promise.all(this.timelines.map((t) => t.waitFor(offset))),
      timeoutMs,
      `both reducers to apply up to offset ${offset} (they are at ${this.timelines.map((t) => t.latest()).join(', ')})`,
    );
    return Math.max(...times);
  }

  /** When every reducer had applied up to `offset`, if they all have. */
  appliedAt(offset: number): number | undefined {
    let latest = 0;
    for (const timeline of this.timelines) {
      const at = timeline.reachedAt(offset);
      if (at === undefined) return undefined;
      latest = Math.max(latest, at);
    }
    return latest;
  }

  close(): void {
    this.closed = true;
    for (const stream of this.streams) stream.cancel();
  }
}

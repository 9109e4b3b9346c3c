import type { ClientReadableStream } from '@grpc/grpc-js';
import type { ReducerServiceClient, WatchStateResponse } from '@hello-es/contracts';

/**
 * Follows a reducer's WatchState and remembers when each next offset was
 * first seen, so a benchmark can say when an append was applied. WatchState
 * may skip states in between (a slow reader gets the latest), so the time is
 * when the reducer was first seen at or past the offset: an upper bound.
 */
export class AppliedWatch {
  private readonly offsets: bigint[] = [];
  private readonly times: number[] = [];
  private readonly stream: ClientReadableStream<WatchStateResponse>;
  private failure: Error | undefined;
  private waiters: (() => void)[] = [];

  constructor(client: ReducerServiceClient, private readonly now: () => number) {
    this.stream = client.watchState({});
    this.stream.on('data', (reply: WatchStateResponse) => {
      const offset = reply.state?.nextOffset;
      if (offset === undefined) return;
      const last = this.offsets[this.offsets.length - 1];
      if (last !== undefined && offset <= last) return;
      this.offsets.push(offset);
      this.times.push(this.now());
      this.wake();
    });
    this.stream.on('error', (error: Error) => {
      this.failure ??= error;
      this.wake();
    });
  }

  /** The highest next offset seen so far. */
  get nextOffset(): bigint | undefined {
    return this.offsets[this.offsets.length - 1];
  }

  /** When the reducer was first seen with next offset >= `offset`; undefined if not yet. */
  appliedAt(offset: bigint): number | undefined {
    let low = 0;
    let high = this.offsets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.offsets[middle]! < offset) low = middle + 1;
      else high = middle;
    }
    return this.times[low];
  }

  /** Resolves once next offset >= `offset`; rejects when the watch fails or at `deadline` (epoch ms). */
  async reach(offset: bigint, deadline: number): Promise<void> {
    while (this.appliedAt(offset) === undefined) {
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`not at next offset ${offset} by the deadline (at ${this.nextOffset ?? 'none'})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.stream.cancel();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}

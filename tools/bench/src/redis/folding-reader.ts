import type { Redis } from 'ioredis';
import { deferred, type Deferred } from '@hello-es/test-support';

/** Entries read per XREAD: the same batch the eventlog's catch-up sends. */
const READ_COUNT = 4096;
/** How long one XREAD blocks before the loop looks at `stop` again. */
const BLOCK_MS = 500;

/**
 * Redis's stand-in for a reducer: a plain loop of `XREAD BLOCK` on its own
 * connection from the start of the stream, folding the `v` field of every
 * entry into a bigint sum and product exactly, and recording when
 * (performance.now()) the n-th entry arrived.
 */
export class FoldingReader {
  sum = 0n;
  product = 1n;
  count = 0;
  lastId = '0-0';
  private readonly arrivals: Float64Array;
  private waiters: { count: number; done: Deferred<number> }[] = [];
  private failure: unknown;
  private stopped = false;
  private loopDone: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    capacity: number,
  ) {
    this.arrivals = new Float64Array(capacity);
  }

  start(): void {
    this.loopDone = this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopped) {
        const reply = await this.redis.xread('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', this.key, this.lastId);
        if (reply === null) continue;
        const now = performance.now();
        for (const [, entries] of reply) {
          for (const [id, fields] of entries) this.apply(id, fields, now);
        }
        if (this.waiters.length > 0) this.wake(now);
      }
    } catch (error: unknown) {
      if (this.stopped) return;
      this.failure = error;
      for (const waiter of this.waiters) waiter.done.reject(error);
      this.waiters = [];
    }
  }

  private apply(id: string, fields: readonly string[], now: number): void {
    // Entries are written as `v <decimal int64>`: fields[0] is "v".
    const value = BigInt(fields[1] ?? Number.NaN);
    this.sum += value;
    this.product *= value;
    if (this.count < this.arrivals.length) this.arrivals[this.count] = now;
    this.count++;
    this.lastId = id;
  }

  private wake(now: number): void {
    const ready = this.waiters.filter((w) => w.count <= this.count);
    this.waiters = this.waiters.filter((w) => w.count > this.count);
    for (const waiter of ready) waiter.done.resolve(this.arrivedAt(waiter.count - 1) || now);
  }

  /** When the entry at `index` (0-based, in stream order) arrived. */
  arrivedAt(index: number): number {
    return this.arrivals[index] ?? Number.NaN;
  }

  /** Resolves with the arrival time once `count` entries have arrived. */
  waitFor(count: number): Promise<number> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.count >= count) return Promise.resolve(this.arrivedAt(count - 1));
    const done = deferred<number>();
    this.waiters.push({ count, done });
    return done.promise;
  }

  /** Ends the loop (within one BLOCK timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loopDone;
  }
}

import type { EventBatch } from './event-batch';
import type { Int64Values } from './log-store';

/**
 * The most recent events in a fixed ring shared by every subscription, so
 * live subscribers are served without disk reads. Memory is constant:
 * 16 bytes per slot (64K slots: 1 MiB).
 */
export class TailCache {
  private readonly values: BigInt64Array;
  private readonly times: Float64Array;
  /** Offsets [start, end) are in the ring. */
  private start = 0;
  private end = 0;

  constructor(readonly capacity: number = 65_536) {
    this.values = new BigInt64Array(capacity);
    this.times = new Float64Array(capacity);
  }

  /** Starts empty at `nextOffset` (events below it are read from storage). */
  reset(nextOffset: number): void {
    this.start = nextOffset;
    this.end = nextOffset;
  }

  /** Adds the events at offsets `end`, `end + 1`, … */
  push(list: Int64Values, timeMs: number): void {
    // Only the last `capacity` values can stay in the ring.
    const skipped = Math.max(0, list.length - this.capacity);
    const values = list instanceof BigInt64Array ? list.subarray(skipped) : BigInt64Array.from(list.slice(skipped));
    this.end += skipped;
    let copied = 0;
    while (copied < values.length) {
      const slot = this.end % this.capacity;
      const run = Math.min(values.length - copied, this.capacity - slot);
      this.values.set(values.subarray(copied, copied + run), slot);
      this.times.fill(timeMs, slot, slot + run);
      copied += run;
      this.end += run;
    }
    this.start = Math.max(this.start, this.end - this.capacity);
  }

  /** True when offset `from` is in the ring. */
  holds(from: number): boolean {
    return from >= this.start && from < this.end;
  }

  /** Copies batch.count events from the ring into `batch` (caller checked `holds` and the count). */
  copyInto(batch: EventBatch): void {
    let copied = 0;
    while (copied < batch.count) {
      const slot = (Number(batch.firstOffset) + copied) % this.capacity;
      const run = Math.min(batch.count - copied, this.capacity - slot);
      batch.values.set(this.values.subarray(slot, slot + run), copied);
      batch.appendTimesMs.set(this.times.subarray(slot, slot + run), copied);
      copied += run;
    }
  }
}

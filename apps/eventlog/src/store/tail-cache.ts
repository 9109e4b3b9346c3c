import type { EventBatch } from './event-batch';

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
  push(values: readonly bigint[], timeMs: number): void {
    for (const value of values) {
      const slot = this.end % this.capacity;
      this.values[slot] = value;
      this.times[slot] = timeMs;
      this.end += 1;
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

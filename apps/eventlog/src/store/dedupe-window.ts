import { createHash } from 'node:crypto';
import type { Int64Values } from './log-store';

/** How many keyed appends are remembered (documented in docs/eventlog.md). */
export const DEDUPE_WINDOW_SIZE = 100_000;

export interface KeyedAppend {
  readonly key: string;
  /** Hash of the appended values (16 bytes of SHA-256, hex). */
  readonly valuesHash: string;
  readonly firstOffset: bigint;
  readonly count: number;
}

export function hashValues(values: Int64Values): string {
  const column = values instanceof BigInt64Array ? values : BigInt64Array.from(values);
  return createHash('sha256')
    .update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength))
    .digest('hex')
    .slice(0, 32);
}

/**
 * The last `capacity` keyed appends, oldest evicted first (a Map keeps
 * insertion order), so memory stays bounded whatever the traffic.
 */
export class DedupeWindow {
  private readonly entries = new Map<string, KeyedAppend>();

  constructor(readonly capacity: number = DEDUPE_WINDOW_SIZE) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The earlier append with this key, or undefined if the key is new. Whether
   * its values match is the caller's decision (`planAppend`, the one place
   * that answers IdempotencyKeyConflict).
   */
  lookup(key: string): KeyedAppend | undefined {
    return this.entries.get(key);
  }

  remember(entry: KeyedAppend): void {
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  /** The remembered appends, oldest first (for compaction). */
  list(): KeyedAppend[] {
    return [...this.entries.values()];
  }
}

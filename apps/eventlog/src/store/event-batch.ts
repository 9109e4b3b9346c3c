/**
 * A run of consecutive stored events in columns: the form every LogStore
 * returns and the hand encoder reads (no object or bigint per event).
 */
export interface EventBatch {
  /** Offset of the first event. */
  readonly firstOffset: bigint;
  /** Number of events (may be 0). */
  readonly count: number;
  /** The values; `values[i]` belongs to offset `firstOffset + i`. */
  readonly values: BigInt64Array;
  /** Append times in milliseconds since the epoch. */
  readonly appendTimesMs: Float64Array;
}

/**
 * A batch with room for `count` events, which the caller must fill entirely
 * (or throw): the columns are not zeroed (a reader fills them at once, and
 * zeroing was a tenth of a gateway's CPU at W1b).
 */
export function allocateBatch(firstOffset: bigint, count: number): EventBatch {
  const memory = Buffer.allocUnsafeSlow(count * 16).buffer;
  return { firstOffset, count, values: new BigInt64Array(memory, 0, count), appendTimesMs: new Float64Array(memory, count * 8, count) };
}

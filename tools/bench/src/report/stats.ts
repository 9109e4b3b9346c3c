/** Summary of one figure over several runs. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

/** Median (mean of the middle two for an even count), min and max; undefined when empty. */
export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, runs: sorted.length };
}

/**
 * The p-th percentile (0 < p ≤ 100) by the nearest-rank method, so p99 of
 * 100 samples is the 99th smallest, a value that was actually observed.
 * `sorted` must be ascending.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside (0, 100]`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

/** Events per second for `events` in `milliseconds`. */
export function ratePerSecond(events: number, milliseconds: number): number {
  if (milliseconds <= 0) throw new RangeError(`a duration of ${milliseconds} ms gives no rate`);
  return (events * 1000) / milliseconds;
}

/** Upward-trend test on a series of samples. */
export interface TrendVerdict {
  readonly firstThirdMedian: number;
  readonly lastThirdMedian: number;
  readonly limit: number;
  readonly rising: boolean;
}

/**
 * Rising means the median of the last third of the samples exceeds the
 * median of the first third by more than `relative` (a fraction) plus
 * `absolute`. Medians ignore single spikes (a GC, a burst of subscribers);
 * comparing thirds ignores the warm-up at the start. Fewer than 3 samples
 * never count as rising.
 */
export function upwardTrend(series: readonly number[], relative: number, absolute: number): TrendVerdict {
  const third = Math.floor(series.length / 3);
  if (third === 0) return { firstThirdMedian: 0, lastThirdMedian: 0, limit: 0, rising: false };
  const firstThirdMedian = median(series.slice(0, third));
  const lastThirdMedian = median(series.slice(series.length - third));
  const limit = firstThirdMedian * (1 + relative) + absolute;
  return { firstThirdMedian, lastThirdMedian, limit, rising: lastThirdMedian > limit };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The p-th percentile (0..100) by nearest rank; 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** Percentiles of a set of latencies, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** The nearest-rank percentile `p` (0..100) of ascending `sorted` (the epsilon keeps 99.9 % of 1,000 at rank 999, not 1,000). */
function rank(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p * sorted.length) / 100 - 1e-9) - 1));
  return sorted[index] ?? 0;
}

/** p50/p90/p99/p99.9/max (nearest rank) of `latenciesMs`; all 0 when empty. */
export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  const values = Array.from(sorted);
  return {
    count: values.length,
    p50: rank(values, 50),
    p90: rank(values, 90),
    p99: rank(values, 99),
    p999: rank(values, 99.9),
    max: values[values.length - 1] ?? 0,
  };
}

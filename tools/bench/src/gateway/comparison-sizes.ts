import { FULL_SIZES, QUICK_SIZES, type Sizes } from '../sizes';

/** The sizes of `--storage jetstream`: the default benchmark's, scaled to what a gateway does in a few minutes. */
export interface ComparisonSizes extends Sizes {
  /** M: events stored in the long log, in messages of `longLogBatch` values. */
  readonly longLogEvents: number;
  readonly longLogBatch: number;
  /** M: where the "small log" memory figures are taken (a tenth of the long log). */
  readonly longLogMark: number;
}

/**
 * Every deployment runs the same sizes (file backend included), so the rows
 * compare like with like. A gateway appends far fewer single values per
 * second than the file backend, hence W1 smaller than the default
 * benchmark's (a few thousand appends at 64 in flight still span dozens of
 * windows); W2 stays as it defines it (1,000,000 events). The phases that
 * run at tens of thousands of appends per second (AppendStream and bare
 * publishing at 64 in flight) and W1b are sized to last a second or more:
 * at 3,000 appends and 200 W1b appends they lasted a tenth of one, and their
 * ratios swung by half between runs; W1b at 1,000 appends still lasted only
 * 0.2-0.5 s over AppendStream and bare, and its R1 ratio swung 0.57-0.82×.
 */
export const FULL_COMPARISON_SIZES: ComparisonSizes = {
  ...FULL_SIZES,
  w1SingleAppends: 500,
  w1WindowAppends: 3_000,
  w1StreamSingleAppends: 500,
  w1StreamWindowAppends: 20_000,
  w1bAppends: 4_000,
  jsSinglePublishes: 500,
  jsWindowPublishes: 20_000,
  jsBatches: 4_000,
  longLogEvents: 10_000_000,
  longLogBatch: 1_000,
  longLogMark: 1_000_000,
};

export const QUICK_COMPARISON_SIZES: ComparisonSizes = {
  ...QUICK_SIZES,
  w1SingleAppends: 50,
  w1WindowAppends: 300,
  w1StreamSingleAppends: 50,
  w1StreamWindowAppends: 300,
  w1bAppends: 10,
  w2Events: 50_000,
  jsSinglePublishes: 50,
  jsWindowPublishes: 300,
  jsBatches: 10,
  longLogEvents: 500_000,
  longLogBatch: 1_000,
  longLogMark: 50_000,
};

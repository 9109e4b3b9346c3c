/** The values appended by every workload cycle through -3..3, so the product stays small. */
export function valueAt(index: number): bigint {
  return BigInt((index % 7) - 3);
}

/** `count` values starting at cycle position `start`. */
export function valuesFrom(start: number, count: number): bigint[] {
  const values: bigint[] = new Array<bigint>(count);
  for (let i = 0; i < count; i++) values[i] = valueAt(start + i);
  return values;
}

/** The exact sum and product of some values, and how many there were. */
export interface Fold {
  readonly sum: bigint;
  readonly product: bigint;
  readonly count: number;
}

export function foldOf(values: readonly bigint[]): Fold {
  let sum = 0n;
  let product = 1n;
  for (const value of values) {
    sum += value;
    product *= value;
  }
  return { sum, product, count: values.length };
}

/**
 * The exact sum and product of everything appended to one log, kept with
 * bigint on the benchmark's side to check the reducers' states. Sum and
 * product do not depend on the order, so concurrent appends need no sorting.
 */
export class ExpectedFold implements Fold {
  sum = 0n;
  product = 1n;
  count = 0;

  add(fold: Fold): void {
    this.sum += fold.sum;
    this.product *= fold.product;
    this.count += fold.count;
  }
}

/**
 * The distinct requests of a workload: appends of `batch` values starting at
 * successive cycle positions. There are only 7 (the cycle's length), so the
 * load generator builds them once and spends its CPU on sending.
 */
export interface CyclicBatch {
  readonly values: bigint[];
  readonly fold: Fold;
}

export function cyclicBatches(batch: number): CyclicBatch[] {
  return Array.from({ length: 7 }, (_, i) => {
    const values = valuesFrom(i * batch, batch);
    return { values, fold: foldOf(values) };
  });
}

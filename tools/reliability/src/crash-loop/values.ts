import type { Random } from '@hello-es/test-support';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * One event value. Mostly ±1 so the multiplier's exact product stays a few
 * thousand digits long over a long run; sometimes small factors and, rarely,
 * int64 extremes, so exactness beyond 2^53 is exercised. Never 0: a zero
 * would pin the product at 0 and hide a double-applied event.
 */
export function randomValue(random: Random): bigint {
  const roll = random.next();
  if (roll < 0.99) return random.chance(0.5) ? 1n : -1n;
  if (roll < 0.999) return BigInt(random.pick([-9, -7, -5, -3, -2, 2, 3, 5, 7, 9]));
  return random.pick([INT64_MAX, INT64_MIN, BigInt(random.int(1, 2 ** 31)) * 4_294_967_296n]);
}

/** How many values an append carries: mostly single values and small batches, rarely the maximum. */
export function randomBatchSize(random: Random, maxValues: number): number {
  const roll = random.next();
  if (roll < 0.4) return 1;
  if (roll < 0.98) return random.int(2, 16);
  if (roll < 0.999) return random.int(17, 1_000);
  return maxValues;
}

/**
 * The values of the append numbered `appendId` (unique in the run). The first
 * value is ±(appendId + 2), which no other append starts with: a stretch of
 * the log that no acknowledged append covers can then be attributed to
 * exactly one append, which ±1 values alone would not allow. It costs the
 * multiplier's product about five digits per append.
 */
export function randomValues(random: Random, maxValues: number, appendId: number): bigint[] {
  const tag = BigInt(appendId + 2) * (random.chance(0.5) ? 1n : -1n);
  return [tag, ...Array.from({ length: randomBatchSize(random, maxValues) - 1 }, () => randomValue(random))];
}

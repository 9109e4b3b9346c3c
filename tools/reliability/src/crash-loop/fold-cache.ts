/**
 * The sum and product of the log's first `upTo` values, extended as the log
 * grows so a long run does not refold (and remultiply) from offset 0 at every
 * check. Only valid while the prefix it folded never changes, which the crash
 * loop checks separately.
 */
export class FoldCache {
  upTo = 0;
  sum = 0n;
  product = 1n;

  /** Folds up to `offset` (not below what is already folded) and returns the fold there. */
  foldTo(log: ArrayLike<bigint>, offset: number): { sum: bigint; product: bigint } {
    if (offset < this.upTo) throw new Error(`fold cache is at ${this.upTo}, cannot go back to ${offset}`);
    if (offset > log.length) throw new Error(`fold to ${offset} but only ${log.length} values were read`);
    for (; this.upTo < offset; this.upTo += 1) {
      const value = log[this.upTo] ?? 0n;
      this.sum += value;
      // ±1 is most values: skip the full-width multiplication for them.
      if (value === -1n) this.product = -this.product;
      else if (value !== 1n) this.product *= value;
    }
    return { sum: this.sum, product: this.product };
  }
}

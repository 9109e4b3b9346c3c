import { cyclicBatches, ExpectedFold, foldOf, valueAt, valuesFrom } from './values';

describe('values', () => {
  it('cycles through -3..3', () => {
    expect(valuesFrom(0, 9)).toEqual([-3n, -2n, -1n, 0n, 1n, 2n, 3n, -3n, -2n]);
    expect(valueAt(7 * 1_000_000 + 6)).toBe(3n);
  });

  it('folds sum and product exactly with bigint', () => {
    expect(foldOf([3n, 3n, -2n])).toEqual({ sum: 4n, product: -18n, count: 3 });
    const expected = new ExpectedFold();
    for (let i = 0; i < 80; i++) expected.add(foldOf([3n]));
    expect(expected.product).toBe(3n ** 80n);
    expect(expected.count).toBe(80);
  });

  it('builds the 7 distinct batches so that consecutive appends continue the cycle', () => {
    const batches = cyclicBatches(1_000);
    expect(batches).toHaveLength(7);
    const concatenated = batches.flatMap((b) => b.values);
    expect(concatenated).toEqual(valuesFrom(0, 7_000));
    expect(batches[1]?.fold).toEqual(foldOf(valuesFrom(1_000, 1_000)));
  });
});

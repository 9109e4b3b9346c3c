import { FoldCache } from './fold-cache';

describe('FoldCache', () => {
  it('folds exactly beyond 2^64 and extends from where it stopped', () => {
    const log = [2n ** 63n - 1n, -1n, 2n ** 63n - 1n, 1n, -3n];
    const cache = new FoldCache();
    expect(cache.foldTo(log, 2)).toEqual({ sum: 2n ** 63n - 2n, product: -(2n ** 63n - 1n) });
    expect(cache.foldTo(log, 5)).toEqual({ sum: 2n ** 64n - 5n, product: 3n * (2n ** 63n - 1n) ** 2n });
  });

  it('refuses to go back', () => {
    const cache = new FoldCache();
    cache.foldTo([1n, 2n], 2);
    expect(() => cache.foldTo([1n, 2n], 1)).toThrow('cannot go back');
  });
});

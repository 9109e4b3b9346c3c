import { median, percentile, upwardTrend } from './trend';

describe('upwardTrend', () => {
  it('flags a series whose last third sits above the first third beyond the tolerance', () => {
    const rising = [10, 10, 10, 20, 20, 20, 30, 30, 30];
    expect(upwardTrend(rising, 0.25, 5)).toMatchObject({ firstThirdMedian: 10, lastThirdMedian: 30, rising: true });
  });

  it('ignores a single spike and growth within the tolerance', () => {
    expect(upwardTrend([10, 10, 10, 90, 10, 10, 11, 12, 100], 0.25, 0).rising).toBe(false);
  });

  it('never flags fewer than three samples', () => {
    expect(upwardTrend([1, 1000], 0, 0).rising).toBe(false);
  });
});

describe('median and percentile', () => {
  it('compute the middle value and the nearest-rank percentile', () => {
    expect(median([3, 1, 2, 4])).toBe(2.5);
    expect(percentile(Array.from({ length: 100 }, (_, index) => index + 1), 99)).toBe(99);
    expect(percentile([], 99)).toBe(0);
  });
});

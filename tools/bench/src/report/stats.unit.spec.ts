import { percentile, ratePerSecond, summarize } from './stats';

describe('summarize', () => {
  it('gives the middle value as the median of an odd count, with min and max', () => {
    expect(summarize([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, runs: 3 });
  });

  it('averages the middle two values for an even count', () => {
    expect(summarize([4, 1, 3, 2])?.median).toBe(2.5);
  });

  it('has no summary for no runs', () => {
    expect(summarize([])).toBeUndefined();
  });
});

describe('percentile', () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks an observed sample by nearest rank', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('refuses no samples and percentiles outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('ratePerSecond', () => {
  it('turns events in milliseconds into events per second', () => {
    expect(ratePerSecond(3_000, 1_500)).toBe(2_000);
  });

  it('refuses a zero duration instead of reporting Infinity', () => {
    expect(() => ratePerSecond(1, 0)).toThrow(RangeError);
  });
});

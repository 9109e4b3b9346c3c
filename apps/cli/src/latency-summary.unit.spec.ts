import { summarizeLatencies } from './latency-summary';

describe('summarizeLatencies', () => {
  it('gives nearest-rank percentiles of 1..1000 ms', () => {
    const latencies = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(summarizeLatencies(latencies)).toEqual({ count: 1000, p50: 500, p90: 900, p99: 990, p999: 999, max: 1000 });
  });

  it('is all zero when empty and the value itself for one sample', () => {
    expect(summarizeLatencies([])).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
    expect(summarizeLatencies([2.5])).toMatchObject({ p50: 2.5, p999: 2.5, max: 2.5 });
  });
});

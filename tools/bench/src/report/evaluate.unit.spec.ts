import { evaluateRows, verdictOf } from './evaluate';
import { figureResult } from './figure-result';
import { Outcomes } from './outcomes';
import type { Row } from './rows';

const ok = (...values: number[]) => figureResult(values.map((value) => ({ kind: 'value' as const, value })));

describe('figureResult', () => {
  it('reports a figure with one failed run as FAILED, never as a number from the other runs', () => {
    const result = figureResult([
      { kind: 'value', value: 10 },
      { kind: 'failed', reason: 'adder: value 5, expected 6' },
      { kind: 'value', value: 12 },
    ]);
    expect(result).toEqual({ status: 'failed', reason: 'adder: value 5, expected 6', failedRuns: 1, runs: 3 });
  });

  it('reports a skipped peer as skipped with the reason, and nothing measured as missing', () => {
    expect(figureResult([{ kind: 'skipped', reason: 'not installed' }])).toEqual({ status: 'skipped', reason: 'not installed' });
    expect(figureResult([])).toEqual({ status: 'missing' });
  });
});

describe('verdictOf', () => {
  const share = { text: '≥ 30,000/s and ≥ 50% of limit', atLeast: 30_000, minShareOfLimit: 0.5 };

  it('meets a target only when both the absolute figure and the share of the limit hold', () => {
    expect(verdictOf(share, ok(40_000), ok(60_000))).toBe('met');
    expect(verdictOf(share, ok(40_000), ok(100_000))).toBe('missed');
    expect(verdictOf(share, ok(20_000), ok(30_000))).toBe('missed');
  });

  it('checks "below" targets strictly on the median', () => {
    const below = { text: '< 5 ms', below: 5 };
    expect(verdictOf(below, ok(4, 4.9, 9), undefined)).toBe('met');
    expect(verdictOf(below, ok(5), undefined)).toBe('missed');
  });

  it('says FAILED for a failed figure and n/a when the limit it needs was not measured', () => {
    expect(verdictOf(share, figureResult([{ kind: 'failed', reason: 'x' }]), ok(1))).toBe('FAILED');
    expect(verdictOf(share, ok(40_000), figureResult([]))).toBe('n/a');
  });
});

describe('evaluateRows', () => {
  it('folds every run of a row and its limit and peer, and checks the target', () => {
    const outcomes = new Outcomes();
    for (const value of [100, 300, 200]) outcomes.value('ours', value);
    outcomes.value('limit', 250);
    outcomes.value('peer', 50);
    const row: Row = { workload: 'W', label: 'rate', unit: 'events/s', ours: 'ours', limit: { name: 'bare', id: 'limit' }, peer: 'peer', target: { text: '≥ 50%', minShareOfLimit: 0.5 } };
    const [evaluated] = evaluateRows([row], outcomes);
    expect(evaluated?.ours).toMatchObject({ status: 'ok', summary: { median: 200, min: 100, max: 300, runs: 3 } });
    expect(evaluated?.verdict).toBe('met');
    expect(evaluated?.peer).toMatchObject({ status: 'ok', summary: { median: 50 } });
  });
});

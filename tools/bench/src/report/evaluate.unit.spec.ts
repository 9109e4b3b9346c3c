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
    expect(verdictOf(share, ok(40_000), { limit: ok(60_000) })).toBe('met');
    expect(verdictOf(share, ok(40_000), { limit: ok(100_000) })).toBe('missed');
    expect(verdictOf(share, ok(20_000), { limit: ok(30_000) })).toBe('missed');
  });

  it('checks "below" targets strictly on the median', () => {
    const below = { text: '< 5 ms', below: 5 };
    expect(verdictOf(below, ok(4, 4.9, 9), {})).toBe('met');
    expect(verdictOf(below, ok(5), {})).toBe('missed');
    const atMost = { text: '≤ 3 ms', atMost: 3 };
    expect(verdictOf(atMost, ok(3), {})).toBe('met');
    expect(verdictOf(atMost, ok(3.01), {})).toBe('missed');
  });

  it('says FAILED for a failed figure and n/a when the limit it needs was not measured', () => {
    expect(verdictOf(share, figureResult([{ kind: 'failed', reason: 'x' }]), { limit: ok(1) })).toBe('FAILED');
    expect(verdictOf(share, ok(40_000), { limit: figureResult([]) })).toBe('n/a');
  });
});

describe('verdictOf against the peers (issue 12)', () => {
  const peers = { text: '≥ 40,000/s, ≥ 1.1× JetStream, ≥ 1.5× Redis', atLeast: 40_000, minRatioToPeer: 1.1, minRatioToRedis: 1.5 };

  it('meets the target only when ours is far enough ahead of both peers in the same run', () => {
    expect(verdictOf(peers, ok(45_000), { peer: ok(40_000), redis: ok(30_000) })).toBe('met');
    expect(verdictOf(peers, ok(45_000), { peer: ok(41_000), redis: ok(30_000) })).toBe('missed');
    expect(verdictOf(peers, ok(45_000), { peer: ok(40_000), redis: ok(31_000) })).toBe('missed');
  });

  it('is n/a when a peer was skipped, but missed when the other one already shows a miss', () => {
    const skipped = figureResult([{ kind: 'skipped', reason: 'not installed' }]);
    expect(verdictOf(peers, ok(45_000), { peer: ok(40_000), redis: skipped })).toBe('n/a');
    expect(verdictOf(peers, ok(45_000), { peer: ok(50_000), redis: skipped })).toBe('missed');
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

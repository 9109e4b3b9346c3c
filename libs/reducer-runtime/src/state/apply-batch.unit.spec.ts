import { applyBatch } from './apply-batch';
import type { Reducer } from '../reducer';

const adder: Reducer = { name: 'adder', initial: 0n, apply: (state, value) => state + value };
const at = (nextOffset: bigint, value = 0n) => ({ value, nextOffset, logId: 'log-1' });

describe('applyBatch', () => {
  it('applies a batch that starts at the next offset', () => {
    expect(applyBatch(adder, at(0n), 0n, [1n, 2n, 3n], true)).toEqual({ kind: 'applied', state: at(3n, 6n), applied: 3 });
  });

  it('skips the events below the next offset, so a repeated event is applied exactly once', () => {
    expect(applyBatch(adder, at(2n, 3n), 0n, [1n, 2n, 4n, 8n], true)).toEqual({
      kind: 'applied',
      state: at(4n, 15n),
      applied: 2,
    });
    const wholeRepeat = applyBatch(adder, at(4n, 15n), 0n, [1n, 2n, 4n, 8n], true);
    expect(wholeRepeat).toEqual({ kind: 'applied', state: at(4n, 15n), applied: 0 });
  });

  it('reports a gap and applies nothing when the batch starts beyond the next offset', () => {
    expect(applyBatch(adder, at(5n, 1n), 6n, [1n], true)).toEqual({
      kind: 'gap',
      state: at(5n, 1n),
      applied: 0,
      expected: 5n,
      got: 6n,
    });
  });

  it('reports a gap after applying the events before a break inside the batch', () => {
    const outcome = applyBatch(adder, at(0n), 0n, [1n, 1n], false);
    expect(outcome.kind).toBe('gap');
    expect(outcome.state).toEqual(at(2n, 2n));
    expect(outcome.applied).toBe(2);
  });
});

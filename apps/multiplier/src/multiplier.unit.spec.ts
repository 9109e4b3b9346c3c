import { foldValues } from '@hello-es/reducer-runtime';
import { multiplier } from './multiplier';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

describe('multiplier', () => {
  it("gives 2 for the original post's log [1,1,1,1,2]", () => {
    expect(foldValues(multiplier, [1n, 1n, 1n, 1n, 2n])).toBe(2n);
  });

  it('multiplies int64 extremes and negatives exactly', () => {
    expect(foldValues(multiplier, [INT64_MIN, INT64_MIN])).toBe(2n ** 126n);
    expect(foldValues(multiplier, [INT64_MIN, INT64_MAX, -1n])).toBe(85070591730234615856620279821087277056n);
    expect(foldValues(multiplier, [INT64_MIN, INT64_MIN, INT64_MIN]).toString()).toBe(
      '-784637716923335095479473677900958302012794430558004314112',
    );
  });

  it('stays 0 after a zero, and exact for what follows', () => {
    const state = foldValues(multiplier, [INT64_MAX, 0n]);
    expect(state).toBe(0n);
    expect(foldValues(multiplier, [INT64_MAX, INT64_MIN], state)).toBe(0n);
  });

  it('starts from 1', () => {
    expect(foldValues(multiplier, [])).toBe(1n);
  });
});

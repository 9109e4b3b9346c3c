import { foldValues } from '@hello-es/reducer-runtime';
import { adder } from './adder';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

describe('adder', () => {
  it("gives 6 for the original post's log [1,1,1,1,2]", () => {
    expect(foldValues(adder, [1n, 1n, 1n, 1n, 2n])).toBe(6n);
  });

  it('sums int64 extremes exactly, far beyond the int64 and double ranges', () => {
    const values = [INT64_MAX, INT64_MAX, INT64_MAX, 1n];
    expect(foldValues(adder, values)).toBe(27670116110564327422n);
    expect(foldValues(adder, [INT64_MIN, INT64_MIN, -1n])).toBe(-18446744073709551617n);
    expect(foldValues(adder, [INT64_MIN, INT64_MAX])).toBe(-1n);
  });

  it('starts from 0', () => {
    expect(foldValues(adder, [])).toBe(0n);
  });
});

import { foldValues } from '@hello-es/reducer-runtime';
import { EMPTY_STATS, meanOf, stats, statsCodec } from './stats';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

describe('stats reducer', () => {
  it("folds the post's log 1,1,1,1,2 to count 5, min 1, max 2 and mean 6/5", () => {
    const state = foldValues(stats, [1n, 1n, 1n, 1n, 2n]);
    expect(JSON.parse(statsCodec.encode(state))).toEqual({ count: '5', sum: '6', min: '1', max: '2', mean: '6/5' });
  });

  it('stays exact over int64 extremes, where a float mean would round', () => {
    const values = [INT64_MAX, INT64_MAX, INT64_MIN, 1n];
    const state = foldValues(stats, values);
    expect(state).toEqual({ count: 4n, sum: 2n ** 64n - 2n + -(2n ** 63n) + 1n, min: INT64_MIN, max: INT64_MAX });
    // sum = 2^63 - 1, count 4: already reduced.
    expect(meanOf(state)).toBe(`${2n ** 63n - 1n}/4`);
  });

  it('reduces the mean and keeps its sign, and writes an integer mean without a denominator', () => {
    expect(meanOf(foldValues(stats, [-3n, -4n]))).toBe('-7/2');
    expect(meanOf(foldValues(stats, [2n, 4n, 6n]))).toBe('4');
    expect(meanOf(foldValues(stats, [-2n, 2n]))).toBe('0');
    expect(meanOf(EMPTY_STATS)).toBeUndefined();
  });

  it('never changes a state it returned before (snapshots and watchers hold on to it)', () => {
    const first = foldValues(stats, [5n]);
    const frozen = { ...first };
    stats.apply(first, -100n);
    expect(first).toEqual(frozen);
  });

  it('round-trips every state through its codec, the empty one included', () => {
    for (const values of [[], [0n], [INT64_MIN], [3n, -9n, 27n, INT64_MAX]]) {
      const state = foldValues(stats, values);
      expect(statsCodec.decode(statsCodec.encode(state))).toEqual(state);
    }
    expect(JSON.parse(statsCodec.encode(EMPTY_STATS))).toEqual({ count: '0', sum: '0', min: null, max: null, mean: null });
  });

  it('refuses text it did not write, so a foreign snapshot is set aside rather than misread', () => {
    expect(() => statsCodec.decode('12')).toThrow();
    expect(() => statsCodec.decode('{"count":"1","sum":"1","min":"1","max":"1","mean":"2"}')).toThrow(/mean/);
    expect(() => statsCodec.decode('{"count":"1","sum":"1","min":null,"max":"1","mean":"1"}')).toThrow(/agree/);
    expect(() => statsCodec.decode('{"count":1,"sum":"1","min":"1","max":"1","mean":"1"}')).toThrow(/count/);
  });
});

import { allocateBatch } from './event-batch';
import { TailCache } from './tail-cache';

describe('TailCache', () => {
  it('keeps the last capacity events across the ring end, from lists and from value columns', () => {
    const cache = new TailCache(4);
    cache.reset(10);
    cache.push([1n, 2n, 3n], 100);
    cache.push(BigInt64Array.from([4n, 5n]), 200);
    expect(cache.holds(10)).toBe(false);
    expect(cache.holds(11)).toBe(true);
    expect(cache.holds(15)).toBe(false);
    const batch = allocateBatch(11n, 4);
    cache.copyInto(batch);
    expect([...batch.values]).toEqual([2n, 3n, 4n, 5n]);
    expect([...batch.appendTimesMs]).toEqual([100, 100, 200, 200]);
  });

  it('keeps only the tail of an append longer than the ring', () => {
    const cache = new TailCache(3);
    cache.reset(0);
    cache.push(BigInt64Array.from([1n, 2n, 3n, 4n, 5n]), 7);
    cache.push([6n, 7n, 8n, 9n], 8);
    expect(cache.holds(5)).toBe(false);
    const batch = allocateBatch(6n, 3);
    cache.copyInto(batch);
    expect([...batch.values]).toEqual([7n, 8n, 9n]);
    expect([...batch.appendTimesMs]).toEqual([8, 8, 8]);
  });
});

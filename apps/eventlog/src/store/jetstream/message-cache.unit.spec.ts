import type { AppendMessage } from './append-message';
import { MessageCache } from './message-cache';

const message = (seq: number, count: number): AppendMessage => ({
  seq,
  firstOffset: BigInt((seq - 1) * count),
  count,
  values: new BigInt64Array(count),
  timeMs: 0,
});

describe('the gateway message cache', () => {
  it('holds at most maxMessages messages, evicting the least recently used', () => {
    const cache = new MessageCache(1_000_000, 3);
    for (let seq = 1; seq <= 3; seq += 1) cache.put(message(seq, 1));
    cache.get(1); // 1 is now the most recently used: 2 goes first
    cache.put(message(4, 1));
    expect([1, 2, 3, 4].map((seq) => cache.has(seq))).toEqual([true, false, true, true]);
  });

  it('holds at most maxValues values, but always the newest message however large', () => {
    const cache = new MessageCache(10, 100);
    cache.put(message(1, 6));
    cache.put(message(2, 6));
    expect([cache.has(1), cache.has(2)]).toEqual([false, true]);
    cache.put(message(3, 50));
    expect([cache.has(2), cache.has(3)]).toEqual([false, true]);
  });

  it('says which sequence starts at an offset while the message before it is held', () => {
    const cache = new MessageCache(100, 2);
    cache.put(message(1, 4)); // offsets 0..3
    expect(cache.seqStartingAt(4n)).toBe(2);
    cache.put(message(2, 4));
    cache.put(message(3, 4)); // evicts 1
    expect(cache.seqStartingAt(4n)).toBeUndefined();
    expect(cache.seqStartingAt(12n)).toBe(4);
  });
});

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
    const cache = new MessageCache({ tailValues: 1_000_000, maxMessages: 3 });
    for (let seq = 1; seq <= 3; seq += 1) cache.put(message(seq, 1), 'tail');
    cache.get(1); // 1 is now the most recently used: 2 goes first
    cache.put(message(4, 1), 'tail');
    expect([1, 2, 3, 4].map((seq) => cache.has(seq))).toEqual([true, false, true, true]);
  });

  it('holds at most maxValues values, but always the newest message however large', () => {
    const cache = new MessageCache({ historyValues: 10, maxMessages: 100 });
    cache.put(message(1, 6), 'history');
    cache.put(message(2, 6), 'history');
    expect([cache.has(1), cache.has(2)]).toEqual([false, true]);
    cache.put(message(3, 50), 'history');
    expect([cache.has(2), cache.has(3)]).toEqual([false, true]);
  });

  it('says which sequence starts at an offset while the message before it is held', () => {
    const cache = new MessageCache({ tailValues: 100, maxMessages: 2 });
    cache.put(message(1, 4), 'tail'); // offsets 0..3
    expect(cache.seqHolding(4n)).toBe(2);
    cache.put(message(2, 4), 'tail');
    cache.put(message(3, 4), 'tail'); // evicts 1
    expect(cache.seqHolding(4n)).toBeUndefined();
    expect(cache.seqHolding(12n)).toBe(4);
  });

  it('keeps the tail when a catch-up reader fills history, and history when appends fill the tail', () => {
    const cache = new MessageCache({ tailValues: 8, historyValues: 8, maxMessages: 100 });
    cache.put(message(100, 4), 'tail');
    cache.put(message(101, 4), 'tail');
    for (let seq = 1; seq <= 10; seq += 1) cache.put(message(seq, 4), 'history');
    expect([cache.has(100), cache.has(101)]).toEqual([true, true]);
    expect([cache.has(8), cache.has(9), cache.has(10)]).toEqual([false, true, true]);
    for (let seq = 102; seq <= 110; seq += 1) cache.put(message(seq, 4), 'tail');
    expect([cache.has(9), cache.has(10), cache.has(101), cache.has(110)]).toEqual([true, true, false, true]);
    // An evicted message no longer says where the next one starts.
    expect(cache.seqHolding(BigInt(100 * 4))).toBeUndefined();
    expect(cache.seqHolding(BigInt(109 * 4))).toBe(110);
  });

  it('holds a message once, in the tier it came to first', () => {
    const cache = new MessageCache({ tailValues: 4, historyValues: 4, maxMessages: 100 });
    cache.put(message(1, 4), 'tail');
    cache.put(message(1, 4), 'history');
    cache.put(message(2, 4), 'history');
    expect([cache.has(1), cache.has(2)]).toEqual([true, true]);
  });

  it('remembers where reads ended, inside a message or before the next, after the messages are gone', () => {
    const cache = new MessageCache({ historyValues: 4, maxMessages: 100 });
    cache.put(message(1, 4), 'history'); // offsets 0..3
    cache.readEndedAt(2n, 1);
    cache.readEndedAt(4n, 2);
    cache.put(message(2, 4), 'history'); // evicts 1
    cache.put(message(3, 4), 'history'); // evicts 2
    expect([cache.has(1), cache.has(2)]).toEqual([false, false]);
    expect([cache.seqHolding(2n), cache.seqHolding(4n), cache.seqHolding(5n)]).toEqual([1, 2, undefined]);
  });
});

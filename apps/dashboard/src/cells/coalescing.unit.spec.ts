import { collectDirty, snapshotOf } from './flusher';
import { LatestCell } from './latest-cell';

describe('latest-value cells', () => {
  it('hands the flusher only the newest of many values, once', () => {
    const cell = new LatestCell('log', { head: '0' });
    for (let head = 1; head <= 100_000; head++) cell.set({ head: String(head) });
    expect(collectDirty([cell])).toEqual({ log: { head: '100000' } });
    expect(collectDirty([cell])).toBeUndefined();
  });

  it('sends only the cells that changed since the last flush', () => {
    const log = new LatestCell('log', 1);
    const adder = new LatestCell('reducer:adder', 'a');
    const multiplier = new LatestCell('reducer:multiplier', 'm');
    adder.set('b');
    expect(collectDirty([log, adder, multiplier])).toEqual({ 'reducer:adder': 'b' });
    log.update((value) => value + 1);
    multiplier.set('n');
    expect(collectDirty([log, adder, multiplier])).toEqual({ log: 2, 'reducer:multiplier': 'n' });
  });

  it('gives a new page every current value, dirty or not, without clearing the flags', () => {
    const log = new LatestCell('log', 1);
    const adder = new LatestCell('reducer:adder', 'a');
    log.set(5);
    expect(snapshotOf([log, adder])).toEqual({ log: 5, 'reducer:adder': 'a' });
    expect(collectDirty([log, adder])).toEqual({ log: 5 });
  });
});

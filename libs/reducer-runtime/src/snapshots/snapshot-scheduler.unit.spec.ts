import { createLogger } from '@hello-es/process';
import { deferred, type Deferred } from '@hello-es/test-support';
import type { Snapshot } from './snapshot';
import { SnapshotScheduler } from './snapshot-scheduler';

const at = (nextOffset: bigint, logId = 'log-1') => ({ value: nextOffset, nextOffset, logId });

function setUp(everyEvents: number, everyMs = 60_000) {
  const saved: Snapshot[] = [];
  const pending: Deferred<void>[] = [];
  let clock = 0;
  const store = {
    file: 'snapshot.json',
    save: (snapshot: Snapshot): Promise<void> => {
      saved.push(snapshot);
      const done = deferred();
      pending.push(done);
      return done.promise;
    },
  };
  const scheduler = new SnapshotScheduler({
    store,
    reducerName: 'adder',
    current: () => at(0n),
    everyEvents,
    everyMs,
    logger: createLogger('scheduler-test', 'silent'),
    now: () => clock,
  });
  const finishWrites = async (): Promise<void> => {
    for (const write of pending.splice(0)) write.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { scheduler, saved, finishWrites, advance: (ms: number) => (clock += ms) };
}

describe('SnapshotScheduler', () => {
  it('snapshots after every N new events, one write in flight at a time', async () => {
    const { scheduler, saved, finishWrites } = setUp(10);
    scheduler.maybeSave(at(9n));
    expect(saved).toHaveLength(0);
    scheduler.maybeSave(at(10n));
    scheduler.maybeSave(at(25n));
    expect(saved.map((snapshot) => snapshot.nextOffset)).toEqual([10n]);
    await finishWrites();
    scheduler.maybeSave(at(25n));
    expect(saved.map((snapshot) => snapshot.nextOffset)).toEqual([10n, 25n]);
    await finishWrites();
    await scheduler.flush(at(25n));
  });

  it('snapshots a change once the interval has passed, and never before the first contact with the log', async () => {
    const { scheduler, saved, finishWrites, advance } = setUp(1_000, 5_000);
    advance(6_000);
    scheduler.maybeSave(at(3n, ''));
    expect(saved).toHaveLength(0);
    scheduler.maybeSave(at(3n));
    expect(saved.map((snapshot) => snapshot.nextOffset)).toEqual([3n]);
    await finishWrites();
    advance(6_000);
    scheduler.maybeSave(at(3n));
    expect(saved).toHaveLength(1);
    await scheduler.flush(at(3n));
  });

  it('writes the final state on flush after the write in flight', async () => {
    const { scheduler, saved, finishWrites } = setUp(1);
    scheduler.maybeSave(at(1n));
    const flushing = scheduler.flush(at(2n));
    await finishWrites();
    await finishWrites();
    await flushing;
    expect(saved.map((snapshot) => snapshot.nextOffset)).toEqual([1n, 2n]);
    expect(scheduler.written).toBe(2);
  });
});

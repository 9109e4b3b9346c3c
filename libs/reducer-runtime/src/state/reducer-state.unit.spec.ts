import { MinOffsetNotReached, TooManyWaiters, WaitCancelled } from './errors';
import { ReducerState } from './reducer-state';

const at = (nextOffset: bigint) => ({ value: nextOffset * 10n, nextOffset, logId: 'log-1' });

describe('ReducerState', () => {
  it('answers at once when the state already reached min_next_offset', async () => {
    const state = new ReducerState(at(5n));
    await expect(state.waitFor(5n, 1_000, new AbortController().signal)).resolves.toEqual(at(5n));
    expect(state.waiting).toBe(0);
  });

  it('wakes a waiter with the first state that reaches its offset', async () => {
    const state = new ReducerState(at(0n));
    const waiting = state.waitFor(3n, 30_000, new AbortController().signal);
    state.set(at(2n));
    expect(state.waiting).toBe(1);
    state.set(at(4n));
    await expect(waiting).resolves.toEqual(at(4n));
    expect(state.waiting).toBe(0);
  });

  it('fails with MinOffsetNotReached when the wait times out, naming both offsets', async () => {
    const state = new ReducerState(at(1n));
    const failure = state.waitFor(9n, 5, new AbortController().signal);
    await expect(failure).rejects.toBeInstanceOf(MinOffsetNotReached);
    await expect(failure).rejects.toMatchObject({ minNextOffset: 9n, nextOffset: 1n, waitedMs: 5 });
    expect(state.waiting).toBe(0);
  });

  it('removes the waiter with WaitCancelled when the call is cancelled', async () => {
    const state = new ReducerState(at(0n));
    const abort = new AbortController();
    const waiting = state.waitFor(1n, 30_000, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toBeInstanceOf(WaitCancelled);
    expect(state.waiting).toBe(0);
  });

  it('bounds the number of waiters with TooManyWaiters', async () => {
    const state = new ReducerState(at(0n), 2);
    const abort = new AbortController();
    const first = state.waitFor(1n, 30_000, abort.signal);
    const second = state.waitFor(1n, 30_000, abort.signal);
    await expect(state.waitFor(1n, 30_000, abort.signal)).rejects.toEqual(new TooManyWaiters(2));
    state.set(at(1n));
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  });

  it('fails waiting and later calls with the close error', async () => {
    const state = new ReducerState(at(0n));
    const waiting = state.waitFor(1n, 30_000, new AbortController().signal);
    const error = new Error('server shutting down');
    state.close(error);
    await expect(waiting).rejects.toBe(error);
    await expect(state.waitFor(1n, 30_000, new AbortController().signal)).rejects.toBe(error);
  });

  it('counts versions and notifies listeners until they unsubscribe', () => {
    const state = new ReducerState(at(0n));
    let calls = 0;
    const unsubscribe = state.onChange(() => (calls += 1));
    state.set(at(1n));
    unsubscribe();
    state.set(at(2n));
    expect(calls).toBe(1);
    expect(state.version).toBe(2);
  });
});

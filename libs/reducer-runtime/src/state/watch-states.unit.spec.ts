import { ReducerState } from './reducer-state';
import { watchStates } from './watch-states';

const at = (nextOffset: bigint) => ({ value: nextOffset, nextOffset, logId: 'log-1' });
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('watchStates', () => {
  /**
   * Proves the coalescing of a busy turn keeps the documented semantics:
   * every message is newer than the one before, the latest state always
   * arrives, and a change in a quiet turn goes out without waiting.
   */
  it('sends the current state, the first change of a turn at once, and the rest of that turn as the latest state', async () => {
    const state = new ReducerState(at(0n));
    const abort = new AbortController();
    const watch = watchStates(state, abort.signal);
    expect((await watch.next()).value).toEqual(at(0n));
    await nextTurn();

    const first = watch.next();
    state.set(at(1n));
    expect((await first).value).toEqual(at(1n));
    // Same turn: these wait for the next turn and come as one message.
    // Same turn, each change after the watcher has had its chance to run
    // (as batches arriving one by one in one socket read): these wait for
    // the next turn and come as one message.
    const second = watch.next();
    for (const offset of [2n, 3n, 4n]) {
      state.set(at(offset));
      await new Promise<void>((resolve) => process.nextTick(resolve));
    }
    expect((await second).value).toEqual(at(4n));

    await nextTurn();
    await nextTurn();
    const quiet = watch.next();
    state.set(at(5n));
    expect((await quiet).value).toEqual(at(5n));

    abort.abort();
    await expect(watch.next()).resolves.toMatchObject({ done: true });
  });
});

import type { ReducerState, StateView } from './reducer-state';

/**
 * The states a watcher should see: the current one at once, then the latest
 * one after each change. Only the latest state is kept, never a queue: a
 * watcher that does not read (its stream is not writable, so nobody pulls
 * from this generator) gets the newest state when it reads again, and the
 * memory a watcher costs stays constant.
 */
export async function* watchStates<S>(state: ReducerState<S>, signal: AbortSignal): AsyncGenerator<StateView<S>> {
  let wake: (() => void) | undefined;
  const unsubscribe = state.onChange(() => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  });
  const onAbort = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    let sentVersion = state.version;
    yield state.view;
    while (!signal.aborted) {
      if (state.version === sentVersion) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      sentVersion = state.version;
      yield state.view;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}

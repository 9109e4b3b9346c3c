import type { ReducerState, StateView } from './reducer-state';

/**
 * The states a watcher should see: the current one at once, then the latest
 * one after each change. Only the latest state is kept, never a queue: a
 * watcher that does not read (its stream is not writable, so nobody pulls
 * from this generator) gets the newest state when it reads again, and the
 * memory a watcher costs stays constant.
 *
 * A watcher also counts as behind while a state sent to it in this
 * event-loop turn is still on its way out (grpc-js hands it to HTTP/2 only
 * later in the turn): the first change of a turn goes out at once, later
 * changes of the same turn wait for the next turn and go out as one message
 * with the latest state. Under load (the event log's batches arriving one
 * after another in one socket read) that is one message per turn instead of
 * one per batch, and the idle watcher's latency is unchanged.
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
  const turn = new TurnMarker();
  try {
    let sentVersion = state.version;
    yield state.view;
    turn.mark();
    while (!signal.aborted) {
      if (state.version === sentVersion) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (turn.marked) {
        await turn.next();
        if (signal.aborted) break;
      }
      sentVersion = state.version;
      yield state.view;
      turn.mark();
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Event-loop turns, counted for every watcher of the process with at most
 * one setImmediate per turn (not one per message or per watcher).
 */
const turns = {
  current: 0,
  ended: undefined as Promise<void> | undefined,
  /** The number of this turn; asking makes sure the turn's end is counted. */
  now(): number {
    this.ended ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.current += 1;
        this.ended = undefined;
        resolve();
      }),
    );
    return this.current;
  },
};

/** Whether something was sent in this event-loop turn; `next()` resolves in the next one. */
class TurnMarker {
  private markedTurn = -1;

  get marked(): boolean {
    return this.markedTurn === turns.current && turns.ended !== undefined;
  }

  mark(): void {
    this.markedTurn = turns.now();
  }

  next(): Promise<void> {
    return turns.ended ?? Promise.resolve();
  }
}

/**
 * A reducer is pure data: a name, an initial state and a fold step. The
 * runtime does all the I/O around it (subscribing, snapshots, serving).
 * States and values are `bigint`, so results are exact whatever their size.
 */
export interface Reducer {
  /** Names the reducer in logs, snapshots (DATA_DIR/<name>/), env vars and State.reducer. */
  readonly name: string;
  readonly initial: bigint;
  /** Must be pure: same state and value, same result. */
  readonly apply: (state: bigint, value: bigint) => bigint;
}

/** The state after applying `values` in order from the reducer's initial state. */
export function foldValues(reducer: Reducer, values: Iterable<bigint>, from: bigint = reducer.initial): bigint {
  let state = from;
  for (const value of values) state = reducer.apply(state, value);
  return state;
}

/** Reducer names become file names and env var prefixes, so keep them simple. */
export function assertValidReducerName(name: string): void {
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(name)) {
    throw new Error(`reducer name must be lowercase letters, digits and dashes (got "${name}")`);
  }
}

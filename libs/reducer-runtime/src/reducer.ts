/**
 * A reducer is pure data: a name, an initial state and a fold step. The
 * runtime does all the I/O around it (subscribing, snapshots, serving).
 *
 * The state is a `bigint` unless the reducer says otherwise: a reducer with
 * any other state type gives a codec, which turns the state into the text of
 * `State.value` and of its snapshots and back. Values are always `bigint`,
 * so results are exact whatever their size.
 */
export interface ReducerDefinition<S> {
  /** Names the reducer in logs, snapshots (DATA_DIR/<name>/), env vars and State.reducer. */
  readonly name: string;
  readonly initial: S;
  /** Must be pure: same state and value, same result. It may return the state it was given or a new one, but must not change a state it returned before (snapshots and watchers hold on to it). */
  readonly apply: (state: S, value: bigint) => S;
}

/**
 * How a state type becomes text and back. `decode(encode(s))` must give a
 * state equal to `s`; `decode` throws on text it did not write (a snapshot of
 * another format is then set aside and the state rebuilt from the log).
 */
export interface StateCodec<S> {
  readonly encode: (state: S) => string;
  readonly decode: (text: string) => S;
}

/** The default codec: a decimal integer, as `State.value` has always been. */
export const bigintCodec: StateCodec<bigint> = {
  encode: (state) => state.toString(),
  decode: (text) => {
    if (!/^-?\d+$/.test(text)) throw new Error('not a decimal integer');
    return BigInt(text);
  },
};

/** A reducer: with a `bigint` state the codec is optional, with any other state it is required. */
export type Reducer<S = bigint> = ReducerDefinition<S> &
  ([S] extends [bigint] ? { readonly codec?: StateCodec<S> } : { readonly codec: StateCodec<S> });

/** The codec the runtime uses for `reducer`: its own, or the decimal one for a bigint state. */
export function codecOf<S>(reducer: Reducer<S>): StateCodec<S> {
  // Without a codec the type says S is bigint, so the decimal codec fits.
  return (reducer.codec ?? bigintCodec) as StateCodec<S>;
}

/** The state after applying `values` in order from the reducer's initial state. */
export function foldValues<S>(reducer: ReducerDefinition<S>, values: Iterable<bigint>, from: S = reducer.initial): S {
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

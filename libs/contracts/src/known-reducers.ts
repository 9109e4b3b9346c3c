import known from './known-reducers.json';

/**
 * The reducers this workspace ships, with the address each listens on unless
 * its `<NAME>_LISTEN` variable says otherwise. `known-reducers.json` is the one
 * list the CLI (`hello-es state <name>`), the dashboard and the reducer
 * generator (`npx nx g @hello-es/reducer-runtime:reducer <name>`, which appends
 * to it) read; a reducer's client address variable is `<NAME>_URL`.
 */
export interface KnownReducer {
  readonly name: string;
  /** "host:port" the reducer listens on by default. */
  readonly listen: string;
}

export const KNOWN_REDUCERS: readonly KnownReducer[] = known;

/** The default listen address of a known reducer; throws for a name not in the list. */
export function defaultReducerAddress(name: string): string {
  const reducer = KNOWN_REDUCERS.find((candidate) => candidate.name === name);
  if (!reducer) throw new Error(`no reducer named "${name}" in libs/contracts/src/known-reducers.json`);
  return reducer.listen;
}

/** The environment variable a client reads for a reducer's address ("stats" → "STATS_URL"). */
export function reducerUrlVariable(name: string): string {
  return `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}

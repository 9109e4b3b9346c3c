import { callUnary, type ReducerServiceClient } from '@hello-es/contracts';
import type { Fold } from '../values';

export type ReducerKind = 'adder' | 'multiplier';

/**
 * Asks a reducer for its state once it has applied `fold.count` events
 * (GetState with min_next_offset) and compares it with the fold computed
 * locally. Returns undefined when exact, else why not.
 */
export async function checkReducerState(
  client: ReducerServiceClient,
  kind: ReducerKind,
  fold: Fold,
  timeoutMs = 60_000,
): Promise<string | undefined> {
  const response = await callUnary(client.getState.bind(client), { minNextOffset: BigInt(fold.count) }, { timeoutMs });
  const state = response.state;
  if (!state) return `${kind}: GetState returned no state`;
  const want = kind === 'adder' ? fold.sum : fold.product;
  if (state.nextOffset !== BigInt(fold.count)) {
    return `${kind}: next offset ${state.nextOffset}, expected ${fold.count}`;
  }
  if (state.value !== want.toString()) return `${kind}: value ${state.value}, expected ${want}`;
  return undefined;
}

/** Checks both reducers; throws an error naming every mismatch. */
export async function assertReducersExact(
  reducers: readonly { readonly name: ReducerKind; readonly client: ReducerServiceClient }[],
  fold: Fold,
): Promise<void> {
  const problems = await Promise.all(reducers.map((r) => checkReducerState(r.client, r.name, fold)));
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) throw new NotExactError(found.join('; '));
}

/** The system answered, but with a wrong result: the run is FAILED. */
export class NotExactError extends Error {
  override readonly name = 'NotExactError';
}

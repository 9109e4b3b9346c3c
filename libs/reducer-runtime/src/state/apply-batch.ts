import type { ReducerDefinition } from '../reducer';
import type { StateView } from './reducer-state';

export type BatchOutcome<S> =
  | { readonly kind: 'applied'; readonly state: StateView<S>; readonly applied: number }
  | { readonly kind: 'gap'; readonly state: StateView<S>; readonly applied: number; readonly expected: bigint; readonly got: bigint };

/**
 * Applies a batch of consecutive events starting at `firstOffset` to `state`,
 * exactly once: events below `state.nextOffset` were applied already and are
 * skipped; a batch that starts beyond it is a gap and applies nothing.
 * `contiguous: false` (the batch itself broke the sequence after `values`)
 * is reported as a gap after applying what came before the break.
 */
export function applyBatch<S>(
  reducer: ReducerDefinition<S>,
  state: StateView<S>,
  firstOffset: bigint,
  values: readonly bigint[],
  contiguous: boolean,
): BatchOutcome<S> {
  const count = values.length;
  const batchEnd = firstOffset + BigInt(count);
  if (firstOffset > state.nextOffset) {
    return { kind: 'gap', state, applied: 0, expected: state.nextOffset, got: firstOffset };
  }
  let next = state;
  let applied = 0;
  if (batchEnd > state.nextOffset) {
    const apply = reducer.apply;
    let value = state.value;
    // Tight loop on purpose: this is where catch-up spends its time.
    for (let i = Number(state.nextOffset - firstOffset); i < count; i++) value = apply(value, values[i] as bigint);
    applied = Number(batchEnd - state.nextOffset);
    next = { value, nextOffset: batchEnd, logId: state.logId };
  }
  if (!contiguous) return { kind: 'gap', state: next, applied, expected: next.nextOffset, got: -1n };
  return { kind: 'applied', state: next, applied };
}

import { ExpectedOffsetMismatch, IdempotencyKeyConflict } from '../errors';
import { hashValues, type DedupeWindow, type KeyedAppend } from './dedupe-window';
import type { AppendCommand, AppendResult } from './log-store';

export type AppendPlan =
  | { readonly kind: 'append'; readonly firstOffset: bigint; readonly keyed: KeyedAppend | undefined }
  | { readonly kind: 'duplicate'; readonly result: AppendResult };

/**
 * Decides one append against the head it would land on. The idempotency key
 * is checked before `expected_next_offset`, so the retry of an append that
 * succeeded reports `duplicate` instead of a head mismatch.
 * `groupKeys` holds keys accepted earlier in the same group commit.
 * Throws IdempotencyKeyConflict or ExpectedOffsetMismatch.
 */
export function planAppend(
  command: AppendCommand,
  head: bigint,
  window: DedupeWindow,
  groupKeys: ReadonlyMap<string, KeyedAppend>,
): AppendPlan {
  const key = command.idempotencyKey ?? '';
  let keyed: KeyedAppend | undefined;
  if (key !== '') {
    const valuesHash = hashValues(command.values);
    const earlier = groupKeys.get(key) ?? window.lookup(key);
    if (earlier) {
      if (earlier.valuesHash !== valuesHash) throw new IdempotencyKeyConflict(key);
      return { kind: 'duplicate', result: duplicateResult(earlier) };
    }
    keyed = { key, valuesHash, firstOffset: head, count: command.values.length };
  }
  if (command.expectedNextOffset !== undefined && command.expectedNextOffset !== head) {
    throw new ExpectedOffsetMismatch(command.expectedNextOffset, head);
  }
  return { kind: 'append', firstOffset: head, keyed };
}

function duplicateResult(earlier: KeyedAppend): AppendResult {
  return { firstOffset: earlier.firstOffset, nextOffset: earlier.firstOffset + BigInt(earlier.count), duplicate: true };
}

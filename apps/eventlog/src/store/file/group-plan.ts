import { planAppend } from '../append-plan';
import type { DedupeWindow, KeyedAppend } from '../dedupe-window';
import type { AppendCommand, AppendResult } from '../log-store';

/** An append waiting in the group-commit queue. */
export interface PendingAppend {
  readonly command: AppendCommand;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupPlan {
  /** Appends to write, in order, with their first offsets. */
  readonly accepted: { readonly pending: PendingAppend; readonly firstOffset: bigint }[];
  /** Retries of a key accepted in this same group: answered when it is durable. */
  readonly waitingDuplicates: { readonly pending: PendingAppend; readonly result: AppendResult }[];
  /** Keys of the accepted keyed appends. */
  readonly keys: KeyedAppend[];
  /** The head once the group is durable. */
  readonly nextOffset: bigint;
  /** Retries answered from the dedupe window (at once or with the group). */
  readonly duplicates: number;
}

/**
 * Takes whole appends from the front of `queue` (at most `maxRecords`
 * records, at least one append) and decides each against the head it would
 * land on. Rejected appends and retries of durable keys are answered at once.
 */
export function planGroup(queue: PendingAppend[], head: bigint, window: DedupeWindow, maxRecords: number): GroupPlan {
  const accepted: GroupPlan['accepted'] = [];
  const waitingDuplicates: GroupPlan['waitingDuplicates'] = [];
  const groupKeys = new Map<string, KeyedAppend>();
  let nextOffset = head;
  let records = 0;
  let duplicates = 0;
  while (queue.length > 0) {
    const next = queue[0] as PendingAppend;
    if (records > 0 && records + next.command.values.length > maxRecords) break;
    queue.shift();
    try {
      const plan = planAppend(next.command, nextOffset, window, groupKeys);
      if (plan.kind === 'duplicate') {
        duplicates += 1;
        if (plan.result.firstOffset >= head) waitingDuplicates.push({ pending: next, result: plan.result });
        else next.resolve(plan.result);
        continue;
      }
      if (plan.keyed) groupKeys.set(plan.keyed.key, plan.keyed);
      accepted.push({ pending: next, firstOffset: nextOffset });
      nextOffset += BigInt(next.command.values.length);
      records += next.command.values.length;
    } catch (error: unknown) {
      next.reject(error);
    }
  }
  return { accepted, waitingDuplicates, keys: [...groupKeys.values()], nextOffset, duplicates };
}

import type { Outcome } from './outcomes';
import { summarize, type Summary } from './stats';

/** A figure over all its runs: a summary only when every run gave a number. */
export type FigureResult =
  | { readonly status: 'ok'; readonly summary: Summary; readonly values: readonly number[] }
  | { readonly status: 'failed'; readonly reason: string; readonly failedRuns: number; readonly runs: number }
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'missing' };

/**
 * Folds the runs of a figure. One failed run makes the whole figure FAILED:
 * a number from the other runs would hide that the system was not exact.
 */
export function figureResult(outcomes: readonly Outcome[]): FigureResult {
  const failures = outcomes.filter((o) => o.kind === 'failed');
  const first = failures[0];
  if (first && first.kind === 'failed') {
    return { status: 'failed', reason: first.reason, failedRuns: failures.length, runs: outcomes.length };
  }
  const values = outcomes.flatMap((o) => (o.kind === 'value' ? [o.value] : []));
  const summary = summarize(values);
  if (summary) return { status: 'ok', summary, values };
  const skip = outcomes.find((o) => o.kind === 'skipped');
  if (skip && skip.kind === 'skipped') return { status: 'skipped', reason: skip.reason };
  return { status: 'missing' };
}

import { figureResult, type FigureResult } from './figure-result';
import type { Outcomes } from './outcomes';
import type { Row, Target } from './rows';

export type Verdict = 'met' | 'missed' | 'FAILED' | 'n/a';

export interface EvaluatedRow {
  readonly row: Row;
  readonly ours: FigureResult;
  readonly limit?: FigureResult;
  readonly peer?: FigureResult;
  /** Undefined when the row has no target. */
  readonly verdict?: Verdict;
}

export function medianOf(result: FigureResult | undefined): number | undefined {
  return result?.status === 'ok' ? result.summary.median : undefined;
}

/**
 * Checks a target on the medians. A failed run is FAILED, not missed; a
 * target that needs a limit nobody measured is n/a.
 */
export function verdictOf(target: Target, ours: FigureResult, limit: FigureResult | undefined): Verdict {
  if (ours.status === 'failed') return 'FAILED';
  const value = medianOf(ours);
  if (value === undefined) return 'n/a';
  if (target.atLeast !== undefined && value < target.atLeast) return 'missed';
  if (target.below !== undefined && value >= target.below) return 'missed';
  if (target.minShareOfLimit !== undefined) {
    const limitValue = medianOf(limit);
    if (limitValue === undefined) return 'n/a';
    if (value / limitValue < target.minShareOfLimit) return 'missed';
  }
  return 'met';
}

/** Every row with its figures folded over the runs and its target checked. */
export function evaluateRows(rows: readonly Row[], outcomes: Outcomes): EvaluatedRow[] {
  return rows.map((row) => {
    const ours = figureResult(outcomes.of(row.ours));
    const limit = row.limit ? figureResult(outcomes.of(row.limit.id)) : undefined;
    const peer = row.peer ? figureResult(outcomes.of(row.peer)) : undefined;
    const verdict = row.target ? verdictOf(row.target, ours, limit) : undefined;
    return { row, ours, ...(limit ? { limit } : {}), ...(peer ? { peer } : {}), ...(verdict ? { verdict } : {}) };
  });
}

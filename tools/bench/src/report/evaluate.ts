import { figureResult, type FigureResult } from './figure-result';
import type { Outcomes } from './outcomes';
import type { Row, Target } from './rows';

export type Verdict = 'met' | 'missed' | 'FAILED' | 'n/a';

export interface EvaluatedRow {
  readonly row: Row;
  readonly ours: FigureResult;
  readonly limit?: FigureResult;
  readonly peer?: FigureResult;
  readonly redis?: FigureResult;
  /** Undefined when the row has no target. */
  readonly verdict?: Verdict;
}

export function medianOf(result: FigureResult | undefined): number | undefined {
  return result?.status === 'ok' ? result.summary.median : undefined;
}

/** The figures a target is compared with, besides ours. */
export interface Others {
  readonly limit?: FigureResult | undefined;
  readonly peer?: FigureResult | undefined;
  readonly redis?: FigureResult | undefined;
}

/** Whether ours/other reaches `minimum`; undefined when other has no number. */
function ratioMet(value: number, other: FigureResult | undefined, minimum: number | undefined): boolean | undefined {
  if (minimum === undefined) return true;
  const otherValue = medianOf(other);
  if (otherValue === undefined || otherValue === 0) return undefined;
  return value / otherValue >= minimum;
}

/**
 * Checks a target on the medians. A failed run is FAILED, not missed; a
 * target that needs a limit or a peer nobody measured is n/a.
 */
export function verdictOf(target: Target, ours: FigureResult, others: Others): Verdict {
  if (ours.status === 'failed') return 'FAILED';
  const value = medianOf(ours);
  if (value === undefined) return 'n/a';
  if (target.atLeast !== undefined && value < target.atLeast) return 'missed';
  if (target.below !== undefined && value >= target.below) return 'missed';
  if (target.atMost !== undefined && value > target.atMost) return 'missed';
  const ratios = [
    ratioMet(value, others.limit, target.minShareOfLimit),
    ratioMet(value, others.peer, target.minRatioToPeer),
    ratioMet(value, others.redis, target.minRatioToRedis),
  ];
  if (ratios.includes(false)) return 'missed';
  if (ratios.includes(undefined)) return 'n/a';
  return 'met';
}

/** Every row with its figures folded over the runs and its target checked. */
export function evaluateRows(rows: readonly Row[], outcomes: Outcomes): EvaluatedRow[] {
  return rows.map((row) => {
    const ours = figureResult(outcomes.of(row.ours));
    const limit = row.limit ? figureResult(outcomes.of(row.limit.id)) : undefined;
    const peer = row.peer ? figureResult(outcomes.of(row.peer)) : undefined;
    const redis = row.redis ? figureResult(outcomes.of(row.redis)) : undefined;
    const verdict = row.target ? verdictOf(row.target, ours, { limit, peer, redis }) : undefined;
    return { row, ours, ...(limit ? { limit } : {}), ...(peer ? { peer } : {}), ...(redis ? { redis } : {}), ...(verdict ? { verdict } : {}) };
  });
}

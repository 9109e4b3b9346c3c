import type { FigureResult } from './figure-result';
import type { Unit } from './rows';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A number in its unit's usual precision: rates grouped, times and sizes with decimals. */
export function formatNumber(value: number, unit: Unit): string {
  switch (unit) {
    case 'events/s':
      return grouped.format(value);
    case 'ms':
      return value < 10 ? value.toFixed(2) : value.toFixed(1);
    case 'MB':
      return value.toFixed(1);
    case 's':
      return value < 10 ? value.toFixed(3) : value.toFixed(1);
    case 'µs':
      return value < 10 ? value.toFixed(1) : grouped.format(value);
  }
}

/** "0.52×" for a ratio, "–" when either side has no number. */
export function formatRatio(ours: number | undefined, other: number | undefined): string {
  if (ours === undefined || other === undefined || other === 0) return '–';
  const ratio = ours / other;
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

/** The median cell: the number, or FAILED / skipped with the reason. */
export function formatMedian(result: FigureResult, unit: Unit): string {
  switch (result.status) {
    case 'ok':
      return formatNumber(result.summary.median, unit);
    case 'failed':
      return `**FAILED** (${result.failedRuns}/${result.runs} runs: ${oneLine(result.reason)})`;
    case 'skipped':
      return `skipped (${oneLine(result.reason)})`;
    case 'missing':
      return '–';
  }
}

/** "min–max" over the runs, or "–". */
export function formatRange(result: FigureResult, unit: Unit): string {
  if (result.status !== 'ok') return '–';
  return `${formatNumber(result.summary.min, unit)}–${formatNumber(result.summary.max, unit)}`;
}

/** Keeps a reason on one table line: no pipes or newlines, at most 120 characters. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

import { F, prefixed } from '../figures';
import { medianOf, type Verdict } from '../report/evaluate';
import { figureResult, type FigureResult } from '../report/figure-result';
import { formatNumber } from '../report/format';
import type { Outcomes } from '../report/outcomes';
import { DEPLOYMENTS, LONG_LOG } from './comparison-figures';

/** Issue 13's targets: the gateway adds at most this much time per event over bare publishing. */
export const MAX_GATEWAY_OVERHEAD = 0.3;
export const MIN_SUBSCRIBE_RATE = 1_000_000;
/** "Does not grow with the log": RSS with the whole log at most this many times RSS with a tenth. */
export const MAX_MEMORY_GROWTH = 1.3;

export interface TargetLine {
  readonly text: string;
  readonly verdict: Verdict;
  readonly detail: string;
}

/** A FAILED figure fails its target; one nobody measured (skipped, not asked for) makes it n/a. */
function pending(results: readonly FigureResult[]): Verdict | undefined {
  if (results.some((r) => r.status === 'failed')) return 'FAILED';
  if (results.some((r) => medianOf(r) === undefined)) return 'n/a';
  return undefined;
}

/**
 * Overhead = bare rate / gateway rate − 1: how much longer an event takes
 * through the gateway than published bare (0.3: 30% more time, a gateway
 * rate of 0.77× bare).
 */
export function overheadLine(label: string, gateway: FigureResult, bare: FigureResult): TargetLine {
  const text = `gateway overhead vs bare publish, ${label}: ≤ ${MAX_GATEWAY_OVERHEAD * 100}%`;
  const early = pending([gateway, bare]);
  const g = medianOf(gateway);
  const b = medianOf(bare);
  if (early || g === undefined || b === undefined || g === 0) return { text, verdict: early ?? 'n/a', detail: reasonOf([gateway, bare]) };
  const overhead = b / g - 1;
  return {
    text,
    verdict: overhead <= MAX_GATEWAY_OVERHEAD ? 'met' : 'missed',
    detail: `gateway ${formatNumber(g, 'events/s')}/s, bare ${formatNumber(b, 'events/s')}/s: ratio ${(g / b).toFixed(2)}×, overhead ${(overhead * 100).toFixed(0)}%`,
  };
}

function reasonOf(results: readonly FigureResult[]): string {
  for (const r of results) {
    if (r.status === 'failed') return r.reason;
    if (r.status === 'skipped') return `skipped: ${r.reason}`;
    if (r.status === 'missing') return 'not measured in this run';
  }
  return 'no number';
}

/** The target lines printed at the top of the report and at the end of the run. */
export function evaluateTargets(outcomes: Outcomes): TargetLine[] {
  const of = (id: string) => figureResult(outcomes.of(id));
  const lines: TargetLine[] = [];
  for (const [replicas, gw, bare] of [
    ['R1', DEPLOYMENTS.gatewayR1, DEPLOYMENTS.bareR1],
    ['R3', DEPLOYMENTS.gatewayR3, DEPLOYMENTS.bareR3],
  ] as const) {
    const bareIds = prefixed(F.jetstream, bare);
    lines.push(overheadLine(`${replicas}, W1 unary 64 in flight`, of(`${gw}${F.w1Window.rate}`), of(bareIds.windowRate)));
    lines.push(overheadLine(`${replicas}, W1 AppendStream 64 in flight`, of(`${gw}${F.w1StreamWindow.rate}`), of(bareIds.windowRate)));
    lines.push(overheadLine(`${replicas}, W1b unary`, of(`${gw}${F.w1b.rate}`), of(bareIds.batch)));
    lines.push(overheadLine(`${replicas}, W1b AppendStream`, of(`${gw}${F.w1bStream.rate}`), of(bareIds.batch)));
  }
  lines.push(subscribeLine(of(LONG_LOG.subscribe), of(LONG_LOG.messages)));
  lines.push(memoryLine({ storedMark: of(LONG_LOG.rssMark), storedFull: of(LONG_LOG.rssFull), readMark: of(LONG_LOG.readMark), readFull: of(LONG_LOG.readFull) }));
  return lines;
}

export function subscribeLine(events: FigureResult, messages: FigureResult): TargetLine {
  const text = `Subscribe from 0 through a gateway, 1,000 values per message: ≥ ${formatNumber(MIN_SUBSCRIBE_RATE, 'events/s')} events/s`;
  const early = pending([events, messages]);
  const e = medianOf(events);
  const m = medianOf(messages);
  if (early || e === undefined || m === undefined) return { text, verdict: early ?? 'n/a', detail: reasonOf([events, messages]) };
  return {
    text,
    verdict: e >= MIN_SUBSCRIBE_RATE ? 'met' : 'missed',
    detail: `${formatNumber(e, 'events/s')} events/s, ${formatNumber(m, 'events/s')} messages/s`,
  };
}

/** Flat: with ten times the log (stored, and read by a subscriber from 0), RSS within MAX_MEMORY_GROWTH. */
export function memoryLine(rss: { storedMark: FigureResult; storedFull: FigureResult; readMark: FigureResult; readFull: FigureResult }): TargetLine {
  const text = `gateway memory flat: RSS with the whole log ≤ ${MAX_MEMORY_GROWTH}× RSS with a tenth (stored, and while read from 0)`;
  const all = [rss.storedMark, rss.storedFull, rss.readMark, rss.readFull];
  const early = pending(all);
  const [sm, sf, rm, rf] = all.map(medianOf) as (number | undefined)[];
  if (early || sm === undefined || sf === undefined || rm === undefined || rf === undefined) return { text, verdict: early ?? 'n/a', detail: reasonOf(all) };
  const mb = (value: number) => `${formatNumber(value, 'MB')} MB`;
  return {
    text,
    verdict: sf <= sm * MAX_MEMORY_GROWTH && rf <= rm * MAX_MEMORY_GROWTH ? 'met' : 'missed',
    detail: `stored: ${mb(sm)} → ${mb(sf)} (${(sf / sm).toFixed(2)}×); reading: ${mb(rm)} → ${mb(rf)} (${(rf / rm).toFixed(2)}×)`,
  };
}

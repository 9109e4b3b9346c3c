import { F, prefixed } from '../figures';
import type { Unit } from '../report/rows';

/** The deployments of `--storage jetstream`, by figure-id prefix. */
export const DEPLOYMENTS = {
  file: 'file.',
  gatewayR1: 'gw-r1.',
  gatewayR3: 'gw-r3.',
  bareR1: 'bare-r1.',
  bareR3: 'bare-r3.',
} as const;

export type Column = keyof typeof DEPLOYMENTS;

export const COLUMN_NAMES: Readonly<Record<Column, string>> = {
  file: 'file backend (fdatasync)',
  gatewayR1: 'gateway, R1',
  bareR1: 'bare JetStream, R1',
  gatewayR3: 'gateway, R3 (3 nodes)',
  bareR3: 'bare JetStream, R3',
};

/** Figures of the long log (M): one gateway over R1, 1,000 values per message. */
export const LONG_LOG = {
  subscribe: 'long.subscribe.rate',
  messages: 'long.subscribe.messages',
  rssStart: 'long.rss.start',
  rssMark: 'long.rss.stored-mark',
  rssFull: 'long.rss.stored-full',
  peakFill: 'long.rss.peak-fill',
  readMark: 'long.rss.read-mark',
  readFull: 'long.rss.read-full',
  peakRead: 'long.rss.peak-read',
} as const;

/** One line of the side-by-side table: the same figure on each deployment that has it. */
export interface ComparisonRow {
  readonly workload: string;
  readonly label: string;
  readonly unit: Unit;
  readonly ids: Partial<Record<Column, string>>;
}

type OursIds = Readonly<Record<string, string>>;

/** The file backend's and both gateways' id of the same figure. */
function ours(pick: (ids: typeof F) => string): Partial<Record<Column, string>> {
  const id = pick(F);
  return { file: `${DEPLOYMENTS.file}${id}`, gatewayR1: `${DEPLOYMENTS.gatewayR1}${id}`, gatewayR3: `${DEPLOYMENTS.gatewayR3}${id}` };
}

/** Bare JetStream's id of a figure, on R1 and R3. */
function bare(pick: (ids: typeof F.jetstream) => string): Partial<Record<Column, string>> {
  return {
    bareR1: pick(prefixed(F.jetstream, DEPLOYMENTS.bareR1)),
    bareR3: pick(prefixed(F.jetstream, DEPLOYMENTS.bareR3)),
  };
}

const W1 = 'W1 single-value appends until applied by both reducers (unary Append)';
const W1S = 'W1 over AppendStream (createAppender)';
const W1B = 'W1b appends of 1,000 values, 64 in flight';
const W2 = 'W2 catch-up on a log filled with appends of 10,000 values';
const CPU = 'CPU of the eventlog process (µs per event)';

function w1Rows(workload: string, ids: { single: OursIds; window: OursIds }): ComparisonRow[] {
  const s = (key: string) => ours(() => ids.single[key] as string);
  const w = (key: string) => ours(() => ids.window[key] as string);
  return [
    { workload, label: '1 in flight: events/s', unit: 'events/s', ids: { ...s('rate'), ...bare((j) => j.singleRate) } },
    { workload, label: '1 in flight: p50 append→applied in both', unit: 'ms', ids: { ...s('p50'), ...bare((j) => j.singleP50) } },
    { workload, label: '1 in flight: p99 append→applied in both', unit: 'ms', ids: { ...s('p99'), ...bare((j) => j.singleP99) } },
    { workload, label: '1 in flight: p99 append→reply', unit: 'ms', ids: s('ackP99') },
    { workload, label: '64 in flight: events/s', unit: 'events/s', ids: { ...w('rate'), ...bare((j) => j.windowRate) } },
    { workload, label: '64 in flight: p50 append→applied in both', unit: 'ms', ids: { ...w('p50'), ...bare((j) => j.windowP50) } },
    { workload, label: '64 in flight: p99 append→applied in both', unit: 'ms', ids: { ...w('p99'), ...bare((j) => j.windowP99) } },
    { workload, label: '64 in flight: p99 append→reply', unit: 'ms', ids: w('ackP99') },
  ];
}

/** The side-by-side table; bare JetStream's W1 columns repeat under AppendStream (it has one way to publish). */
export const COMPARISON_ROWS: readonly ComparisonRow[] = [
  ...w1Rows(W1, { single: F.w1Single, window: F.w1Window }),
  ...w1Rows(W1S, { single: F.w1StreamSingle, window: F.w1StreamWindow }),
  { workload: W1B, label: 'events/s', unit: 'events/s', ids: { ...ours((f) => f.w1b.rate), ...bare((j) => j.batch) } },
  { workload: W1B, label: 'p99 append→applied in both', unit: 'ms', ids: ours((f) => f.w1b.p99) },
  { workload: W1B, label: 'over AppendStream: events/s', unit: 'events/s', ids: { ...ours((f) => f.w1bStream.rate), ...bare((j) => j.batch) } },
  { workload: W1B, label: 'over AppendStream: p99 append→applied in both', unit: 'ms', ids: ours((f) => f.w1bStream.p99) },
  { workload: W2, label: 'Subscribe from 0: events/s (bare: a fresh ordered consumer, values/s)', unit: 'events/s', ids: { ...ours((f) => f.w2.subscribe), ...bare((j) => j.replay) } },
  { workload: W2, label: 'fresh adder catching up: events/s', unit: 'events/s', ids: ours((f) => f.w2.catchUpRate) },
  { workload: W2, label: 'fresh adder: spawn → full state', unit: 's', ids: ours((f) => f.w2.catchUpTime) },
  { workload: W2, label: 'W3: adder killed -9, restarted → full state', unit: 's', ids: ours((f) => f.w3.restart) },
  { workload: CPU, label: 'W1 unary, 64 in flight', unit: 'µs', ids: ours((f) => f.cpu.w1Window.eventlog) },
  { workload: CPU, label: 'W1 AppendStream, 64 in flight', unit: 'µs', ids: ours((f) => f.cpu.w1StreamWindow.eventlog) },
];

/** The long log's lines (one gateway over R1). */
export const LONG_LOG_ROWS: readonly { readonly label: string; readonly unit: Unit; readonly id: string }[] = [
  { label: 'Subscribe from 0 through the gateway: events/s', unit: 'events/s', id: LONG_LOG.subscribe },
  { label: 'Subscribe from 0 through the gateway: stream messages/s', unit: 'events/s', id: LONG_LOG.messages },
  { label: 'gateway RSS at start (empty stream)', unit: 'MB', id: LONG_LOG.rssStart },
  { label: 'gateway RSS with the small log stored (a tenth)', unit: 'MB', id: LONG_LOG.rssMark },
  { label: 'gateway RSS with the whole log stored', unit: 'MB', id: LONG_LOG.rssFull },
  { label: 'gateway peak RSS while the log was filled', unit: 'MB', id: LONG_LOG.peakFill },
  { label: 'gateway RSS when the subscriber had read a tenth', unit: 'MB', id: LONG_LOG.readMark },
  { label: 'gateway RSS when the subscriber had read everything', unit: 'MB', id: LONG_LOG.readFull },
  { label: 'gateway peak RSS while the subscriber read from 0', unit: 'MB', id: LONG_LOG.peakRead },
];

/** Every figure id of one NATS deployment (gateway and bare, and the long log's), for failing or skipping them at once. */
export function jetStreamIds(replicas: 1 | 3, withLongLog: boolean): string[] {
  const prefixes = replicas === 1 ? [DEPLOYMENTS.gatewayR1, DEPLOYMENTS.bareR1] : [DEPLOYMENTS.gatewayR3, DEPLOYMENTS.bareR3];
  const ids = COMPARISON_ROWS.flatMap((row) => Object.values(row.ids)).filter((id) => prefixes.some((p) => id.startsWith(p)));
  return [...new Set([...ids, ...(withLongLog ? Object.values(LONG_LOG) : [])])];
}

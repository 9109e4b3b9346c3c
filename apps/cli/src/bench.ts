import { performance } from 'node:perf_hooks';
import { callUnary, createReducerClient, type AppendResponse, type EventLogServiceClient, type ReducerServiceClient } from '@hello-es/contracts';
import { reducerAddress, type GlobalOptions } from './addresses';
import { AppliedWatch } from './applied-watch';
import { CALL_TIMEOUT_MS, unavailableFrom, withLog } from './clients';
import { canAsk, confirm } from './confirm';
import { CliError, EXIT_USAGE, toCliError } from './errors';
import { summarizeLatencies, type LatencySummary } from './latency-summary';
import { printJson, printLine } from './output';
import { startProgress } from './progress';
import { clientOptionsOf } from './security';
import { openStreamAppends } from './stream-appends';

export interface BenchOptions {
  readonly n: number;
  readonly inFlight: number;
  readonly valuesPerAppend: number;
  readonly yes?: boolean;
  /** Append over one AppendStream (the contracts library's appender) instead of unary Appends. */
  readonly stream?: boolean;
}

/** The reducers whose append→applied latency is measured. */
const MEASURED_REDUCERS = ['adder', 'multiplier'] as const;
/** How long after the last append a reducer may take to apply it. */
const APPLY_DEADLINE_MS = 60_000;

/**
 * Value of the event at position `index` of the run: 1, -1, 1, -1, … In
 * groups of four the sum is 0 and the product 1, so with n a multiple of 4
 * the adder and the multiplier end where they started.
 */
const benchValue = (index: number): bigint => (index % 2 === 0 ? 1n : -1n);

interface ReducerTarget {
  readonly name: string;
  readonly address: string;
  readonly client: ReducerServiceClient;
  readonly watch?: AppliedWatch;
  /** Why it is not measured, when it is not. */
  readonly skipped?: string;
  readonly valueBefore?: string;
}

/** Connects to a reducer the options point at; measured only when it follows the same log. */
async function openReducer(name: string, options: GlobalOptions, logId: string): Promise<ReducerTarget> {
  const address = reducerAddress(name, options);
  const client = createReducerClient(address, clientOptionsOf(options));
  try {
    const { state } = await callUnary(client.getState.bind(client), {}, { timeoutMs: CALL_TIMEOUT_MS });
    if (state && state.logId !== '' && state.logId !== logId) {
      return { name, address, client, skipped: `follows another log (id ${state.logId})` };
    }
    return { name, address, client, watch: new AppliedWatch(client, () => performance.now()), valueBefore: state?.value };
  } catch (error) {
    return { name, address, client, skipped: toCliError(error, address, unavailableFrom(client)).message };
  }
}

const ms = (value: number): string => `${value.toFixed(2)} ms`.padStart(11);
const count = (value: number): string => value.toLocaleString('en-US');

function latencyRow(label: string, summary: LatencySummary): string {
  return `${label.padEnd(28)}${[summary.p50, summary.p90, summary.p99, summary.p999, summary.max].map(ms).join('')}`;
}

/**
 * `hello-es bench`: appends `n` events (±1) to the log the options point at,
 * `valuesPerAppend` per Append with `inFlight` outstanding, and reports
 * events/s and latency percentiles from send to durable reply and to applied
 * by the adder and the multiplier (through WatchState). It talks only to the
 * addresses the flags and variables name; asks before writing (or needs --yes).
 */
export async function benchCommand(local: BenchOptions, options: GlobalOptions): Promise<void> {
  const n = Math.ceil(local.n / 4) * 4;
  const appends = Math.ceil(n / local.valuesPerAppend);
  await withLog(options, async (log, logAddress) => {
    const info = await callUnary(log.getLogInfo.bind(log), {}, { timeoutMs: CALL_TIMEOUT_MS });
    process.stderr.write(
      `bench: appends ${count(n)} events (${count(appends)} ${local.stream ? 'AppendStream appends' : 'Appends'} of up to ${local.valuesPerAppend}, ${local.inFlight} in flight) ` +
        `to the event log at ${logAddress} (log id ${info.logId}, next offset ${info.nextOffset}).\n` +
        'They stay in the log. Values are 1, -1, 1, -1, …: the adder and the multiplier end where they started; other reducers see them.\n',
    );
    if (!local.yes) {
      if (!canAsk()) throw new CliError('bench appends real events: pass --yes to confirm (stdin is not a terminal to ask)', EXIT_USAGE, { showUsage: false });
      if (!(await confirm('Append them?'))) throw new CliError('bench cancelled: nothing appended', EXIT_USAGE, { showUsage: false });
    }
    const reducers = await Promise.all(MEASURED_REDUCERS.map((name) => openReducer(name, options, info.logId)));
    try {
      const run = await runAppends(log, n, appends, local, options);
      const applied = await Promise.all(reducers.map((reducer) => appliedLatencies(reducer, run)));
      report(local, { logAddress, logId: info.logId, n, appends }, run, reducers, applied, options);
    } finally {
      reducers.forEach((reducer) => {
        reducer.watch?.close();
        reducer.client.close();
      });
    }
  });
}

interface AppendRun {
  readonly seconds: number;
  readonly sentAt: Float64Array;
  readonly durableMs: number[];
  readonly nextOffsets: bigint[];
}

async function runAppends(log: EventLogServiceClient, n: number, appends: number, local: BenchOptions, options: GlobalOptions): Promise<AppendRun> {
  const stream = local.stream ? openStreamAppends(log, CALL_TIMEOUT_MS, local.inFlight) : undefined;
  const append = (values: bigint[]): Promise<AppendResponse> =>
    stream ? stream.append(values) : callUnary(log.append.bind(log), { values, idempotencyKey: '' }, { timeoutMs: CALL_TIMEOUT_MS * 4 });
  const sentAt = new Float64Array(appends);
  const durableMs: number[] = new Array<number>(appends);
  const nextOffsets: bigint[] = new Array<bigint>(appends);
  const progress = startProgress(options, 'appends', appends);
  let nextAppend = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (nextAppend < appends) {
      const index = nextAppend++;
      const first = index * local.valuesPerAppend;
      const values = Array.from({ length: Math.min(local.valuesPerAppend, n - first) }, (_, offset) => benchValue(first + offset));
      sentAt[index] = performance.now();
      const reply = await append(values);
      durableMs[index] = performance.now() - sentAt[index]!;
      nextOffsets[index] = reply.nextOffset;
      progress.update(++done);
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(local.inFlight, appends) }, worker));
  } finally {
    progress.stop();
    await stream?.close();
  }
  return { seconds: (performance.now() - started) / 1000, sentAt, durableMs, nextOffsets };
}

type Applied = { summary: LatencySummary; valueAfter?: string } | { skipped: string };

async function appliedLatencies(reducer: ReducerTarget, run: AppendRun): Promise<Applied> {
  const watch = reducer.watch;
  if (!watch) return { skipped: reducer.skipped ?? 'not measured' };
  const last = run.nextOffsets.reduce((a, b) => (b > a ? b : a), 0n);
  try {
    await watch.reach(last, Date.now() + APPLY_DEADLINE_MS);
  } catch (error) {
    return { skipped: `did not apply the run: ${(error as Error).message}` };
  }
  const latencies = run.nextOffsets.map((offset, index) => watch.appliedAt(offset)! - run.sentAt[index]!);
  const { state } = await callUnary(reducer.client.getState.bind(reducer.client), {}, { timeoutMs: CALL_TIMEOUT_MS }).catch(() => ({ state: undefined }));
  return { summary: summarizeLatencies(latencies), ...(state ? { valueAfter: state.value } : {}) };
}

function report(
  local: BenchOptions,
  target: { logAddress: string; logId: string; n: number; appends: number },
  run: AppendRun,
  reducers: readonly ReducerTarget[],
  applied: readonly Applied[],
  options: GlobalOptions,
): void {
  const eventsPerSecond = Math.round(target.n / run.seconds);
  const appendsPerSecond = Math.round(target.appends / run.seconds);
  const durable = summarizeLatencies(run.durableMs);
  if (options.json) {
    printJson({
      ...target,
      valuesPerAppend: local.valuesPerAppend,
      inFlight: local.inFlight,
      transport: local.stream ? 'AppendStream' : 'Append',
      seconds: run.seconds,
      eventsPerSecond,
      appendsPerSecond,
      durableMs: durable,
      appliedMs: Object.fromEntries(reducers.map((reducer, index) => [reducer.name, { address: reducer.address, valueBefore: reducer.valueBefore, ...applied[index] }])),
    });
    return;
  }
  printLine(`${count(target.n)} events in ${count(target.appends)} ${local.stream ? 'AppendStream appends' : 'Appends'} to ${target.logAddress} in ${run.seconds.toFixed(2)} s`);
  printLine(`${count(eventsPerSecond)} events/s, ${count(appendsPerSecond)} appends/s`);
  printLine(`${'latency'.padEnd(28)}${['p50', 'p90', 'p99', 'p99.9', 'max'].map((name) => name.padStart(11)).join('')}`);
  printLine(latencyRow('append → durable', durable));
  reducers.forEach((reducer, index) => {
    const result = applied[index]!;
    if ('skipped' in result) printLine(`append → applied ${reducer.name}: not measured (${reducer.address}: ${result.skipped})`);
    else printLine(latencyRow(`append → applied ${reducer.name}`, result.summary));
  });
}

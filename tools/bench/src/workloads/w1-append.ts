import type { BenchContext } from '../context';
import { failAll } from '../context';
import { F, prefixed } from '../figures';
import { formatNumber } from '../report/format';
import { appendWindow } from '../system/append-window';
import { appenderWindow } from '../system/appender-window';
import { AppliedWatch } from '../system/applied-watch';
import { assertReducersExact } from '../system/check-state';
import { CpuMeter, formatCpu, pidOf } from '../system/cpu-time';
import { MetricsScraper } from '../system/metrics-scraper';
import { PhaseProfiler } from '../system/phase-profile';
import { formatHopProfiles } from '../report/profile-markdown';
import { fileDeployment, startSystem, type Deployment, type System } from '../system/system';
import { throughputAndLatency } from './latency';

/** How the appends are sent: one unary Append each, or all through createAppender (one AppendStream). */
type Transport = 'unary' | 'stream';

interface Phase {
  readonly name: string;
  readonly transport: Transport;
  readonly appends: number;
  readonly window: number;
  readonly batch: number;
  readonly ids: { readonly rate: string; readonly p50?: string; readonly p99: string; readonly ackP99?: string };
  /** Where this phase's CPU per event goes, by process. */
  readonly cpu?: { readonly client: string; readonly eventlog: string; readonly adder: string; readonly multiplier: string };
}

function phasesOf(context: BenchContext, withBatched: boolean, withSingle: boolean, prefix: string): Phase[] {
  return defaultPhasesOf(context, withBatched, withSingle).map((phase) => ({
    ...phase,
    ids: prefixed(phase.ids, prefix),
    ...(phase.cpu ? { cpu: prefixed(phase.cpu, prefix) } : {}),
  }));
}

function defaultPhasesOf(context: BenchContext, withBatched: boolean, withSingle: boolean): Phase[] {
  const s = context.sizes;
  const phases: Phase[] = [];
  if (withSingle) {
    phases.push({ name: 'W1, 1 in flight', transport: 'unary', appends: s.w1SingleAppends, window: 1, batch: 1, ids: F.w1Single, cpu: F.cpu.w1Single });
    phases.push({ name: `W1, ${s.window} in flight`, transport: 'unary', appends: s.w1WindowAppends, window: s.window, batch: 1, ids: F.w1Window, cpu: F.cpu.w1Window });
  }
  if (withBatched) {
    phases.push({ name: `W1b, ${s.batchValues} values × ${s.window} in flight`, transport: 'unary', appends: s.w1bAppends, window: s.window, batch: s.batchValues, ids: F.w1b });
  }
  // Last, so that an eventlog without AppendStream (UNIMPLEMENTED) fails only these rows.
  if (withSingle) {
    phases.push({ name: 'W1 over AppendStream, 1 in flight', transport: 'stream', appends: s.w1StreamSingleAppends, window: 1, batch: 1, ids: F.w1StreamSingle, cpu: F.cpu.w1StreamSingle });
    phases.push({ name: `W1 over AppendStream, ${s.window} in flight`, transport: 'stream', appends: s.w1StreamWindowAppends, window: s.window, batch: 1, ids: F.w1StreamWindow, cpu: F.cpu.w1StreamWindow });
  }
  if (withBatched) {
    phases.push({ name: `W1b over AppendStream, ${s.batchValues} values × ${s.window} in flight`, transport: 'stream', appends: s.w1bAppends, window: s.window, batch: s.batchValues, ids: F.w1bStream });
  }
  return phases;
}

function idsOf(phase: Phase): string[] {
  return [...Object.values(phase.ids), ...Object.values(phase.cpu ?? {})];
}

/**
 * W1 and W1b on one fresh deployment: appends through the generated client
 * with a pipelined window (unary Appends, then the same single-value W1 over
 * one AppendStream), until the adder and the multiplier (followed
 * through WatchState) have applied everything; then GetState must equal the
 * sum and product computed here.
 */
export async function runW1(
  context: BenchContext,
  run: string,
  parts: { single: boolean; batched: boolean },
  deployment: Deployment = fileDeployment(context.spawn),
): Promise<void> {
  const phases = phasesOf(context, parts.batched, parts.single, deployment.prefix);
  if (phases.length === 0) return;
  context.progress.step(`${run} W1: starting eventlog, adder, multiplier`);
  await runPhases(context, run, () => deployment.start(true), phases);
}

/**
 * The 64-in-flight W1 phases and W1b again, on a deployment whose apps all
 * serve /metrics, scraped every second as Prometheus would: against the
 * metrics-off rows of the same run, what metrics cost.
 */
export async function runW1WithMetrics(context: BenchContext, run: string): Promise<void> {
  const s = context.sizes;
  const phases: Phase[] = [
    { name: `W1, ${s.window} in flight, metrics on`, transport: 'unary', appends: s.w1WindowAppends, window: s.window, batch: 1, ids: F.metricsOn.w1Window },
    { name: `W1b, ${s.batchValues} values × ${s.window} in flight, metrics on`, transport: 'unary', appends: s.w1bAppends, window: s.window, batch: s.batchValues, ids: F.metricsOn.w1b },
    { name: `W1 over AppendStream, ${s.window} in flight, metrics on`, transport: 'stream', appends: s.w1StreamWindowAppends, window: s.window, batch: 1, ids: F.metricsOn.w1StreamWindow },
  ];
  context.progress.step(`${run} W1 with metrics on: starting eventlog, adder, multiplier`);
  const metricsPorts: number[] = [];
  const scraper = new MetricsScraper(metricsPorts);
  try {
    await runPhases(context, run, () => startSystem({ ...context.spawn, metricsPorts }), phases);
  } finally {
    scraper.stop();
  }
  context.progress.note(`scraped /metrics of ${metricsPorts.length} apps ${scraper.scrapes} times (${scraper.failures} failed)`);
}

async function runPhases(context: BenchContext, run: string, start: () => Promise<System>, phases: readonly Phase[]): Promise<void> {
  let system: System | undefined;
  let watch: AppliedWatch | undefined;
  try {
    system = await start();
    watch = new AppliedWatch(system.reducers.map((r) => r.client));
    await watch.ready();
  } catch (error: unknown) {
    failAll(context, phases.flatMap(idsOf), error);
    watch?.close();
    await system?.stop();
    return;
  }
  try {
    for (let i = 0; i < phases.length; i++) {
      const phase = phases[i] as Phase;
      try {
        await measurePhase(context, run, system, watch, phase);
      } catch (error: unknown) {
        // What a failed append left in the log is unknown, so the later phases
        // could not check exactness: they fail with it.
        failAll(context, phases.slice(i).flatMap(idsOf), error);
        break;
      }
    }
  } finally {
    watch.close();
    await system.stop();
  }
}

async function measurePhase(context: BenchContext, run: string, system: System, watch: AppliedWatch, phase: Phase): Promise<void> {
  context.progress.step(`${run} ${phase.name}`);
  const send = phase.transport === 'unary' ? appendWindow : appenderWindow;
  const pids = {
    eventlog: pidOf(system.eventlog),
    ...Object.fromEntries(system.reducers.map((r) => [r.name, pidOf(r.app)])),
  } as Record<'eventlog' | 'adder' | 'multiplier', number>;
  const profiler = context.profiles ? await PhaseProfiler.start(context.profiles, pids) : undefined;
  const meter = new CpuMeter(pids);
  const timeline = await send(system.log, system.expected, {
    appends: phase.appends,
    window: phase.window,
    batch: phase.batch,
    onProgress: (done) => context.progress.update(`${done.toLocaleString('en-US')}/${phase.appends.toLocaleString('en-US')} appends`),
  });
  const allAppliedAt = await watch.allReached(system.expected.count, 120_000);
  // Read before the GetState checks, so only the appends and their fan-out count.
  const cpu = meter.perEvent(phase.appends * phase.batch);
  const profile = await profiler?.finish(`${run} ${phase.name}`, cpu);
  await assertReducersExact(system.reducers, system.expected);
  const result = throughputAndLatency(timeline, watch, phase.appends * phase.batch, allAppliedAt);
  context.outcomes.value(phase.ids.rate, result.eventsPerSecond);
  if (phase.ids.p50) context.outcomes.value(phase.ids.p50, result.p50Ms);
  context.outcomes.value(phase.ids.p99, result.p99Ms);
  if (phase.ids.ackP99) context.outcomes.value(phase.ids.ackP99, result.ackP99Ms);
  if (phase.cpu) for (const name of ['client', 'eventlog', 'adder', 'multiplier'] as const) context.outcomes.value(phase.cpu[name], cpu[name]);
  context.progress.note(
    `${formatNumber(result.eventsPerSecond, 'events/s')} events/s, p50 ${formatNumber(result.p50Ms, 'ms')} ms, p99 ${formatNumber(result.p99Ms, 'ms')} ms (reply p99 ${formatNumber(result.ackP99Ms, 'ms')} ms); exact; CPU µs/event: ${formatCpu(cpu)}`,
  );
  if (profile) for (const line of formatHopProfiles(profile, 3)) context.progress.note(line);
}

import { callUnary, createEventLogClient, createReducerClient, type EventLogServiceClient } from '@hello-es/contracts';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { pause } from '../crash-loop/append-with-retry';
import { createRandom, type Random } from '@hello-es/test-support';
import { startSystem, type AppName } from '../system/managed-process';
import { MIB } from '../system/proc-stats';
import { subscribe, type OpenSubscription } from '../peers/subscribers';
import { ProcessSampler } from './process-sampler';
import { percentile, upwardTrend, type TrendVerdict } from './trend';

export interface SoakOptions {
  readonly minutes: number;
  readonly seed: number;
  readonly appendsPerSecond?: number;
  readonly sampleEveryMs?: number;
  readonly progress?: (line: string) => void;
}

export interface ProcessTrend {
  readonly rss: TrendVerdict;
  readonly fds: TrendVerdict;
  readonly peakRssBytes: number;
  readonly fdsAtStart: number;
  readonly fdsAtEnd: number;
  readonly samples: number;
  /** RSS in MiB about every 30 s, for plotting (JSON report only). */
  readonly rssMiBSeries: readonly number[];
}

export interface SoakResult {
  readonly minutes: number;
  readonly appendsAcknowledged: number;
  readonly appendFailures: number;
  readonly subscriptionsOpened: number;
  readonly subscriberErrors: readonly string[];
  /** p99 append latency in ms for each minute of the run. */
  readonly p99AppendMsPerMinute: readonly number[];
  readonly processes: Record<AppName, ProcessTrend>;
  readonly violations: readonly string[];
}

/** RSS may grow by 25% + 24 MiB between the first and last third (heap warm-up, caches). */
export const RSS_TREND_TOLERANCE = { relative: 0.25, absolute: 24 * MIB };
/** Open fds may grow by 8 (a few sockets of churning subscribers in flight). */
export const FD_TREND_TOLERANCE = { relative: 0, absolute: 8 };

const APPS: readonly AppName[] = ['eventlog', 'adder', 'multiplier'];

/**
 * Runs the three apps for `minutes` at a steady append rate while
 * subscribers come and go, sampling RSS and fds; fails if either trends
 * upward (see the tolerances above) or an append fails.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const random = createRandom(options.seed);
  const dataDir = await makeTempDir('reliability-soak-');
  const system = await startSystem(dataDir);
  const samplers = Object.fromEntries(APPS.map((app) => [app, new ProcessSampler(() => system[app].pid(), options.sampleEveryMs ?? 2_000).start()])) as Record<AppName, ProcessSampler>;
  const client = createEventLogClient(system.eventlog.address);
  const subscriberClient = createEventLogClient(system.eventlog.address);
  const watcherClient = createReducerClient(system.adder.address);
  const endAt = Date.now() + options.minutes * 60_000;
  const latencies: number[][] = [];
  const counts = { acked: 0, failed: 0, subscriptions: 0 };
  const subscriberErrors: string[] = [];
  try {
    const started = Date.now();
    await Promise.all([
      appendSteadily(client, options.appendsPerSecond ?? 100, endAt, random, (latencyMs, ok) => {
        // Appends still in flight at the end count in the last minute.
        const minute = Math.min(Math.ceil(options.minutes) - 1, Math.floor((Date.now() - started) / 60_000));
        (latencies[minute] ??= []).push(latencyMs);
        if (ok) counts.acked += 1;
        else counts.failed += 1;
      }),
      churnSubscribers(subscriberClient, endAt, random, (subscription) => {
        counts.subscriptions += 1;
        const error = subscription.error();
        if (error) subscriberErrors.push(error);
      }),
      churnWatchers(watcherClient, endAt, random),
      reportProgress(endAt, counts, options.progress),
    ]);
  } finally {
    for (const sampler of Object.values(samplers)) sampler.stop();
    client.close();
    subscriberClient.close();
    watcherClient.close();
    await system.killAll();
    await removeTempDir(dataDir);
  }
  const processes = Object.fromEntries(APPS.map((app) => [app, trendOf(samplers[app])])) as Record<AppName, ProcessTrend>;
  const violations: string[] = [];
  if (counts.failed > 0) violations.push(`${counts.failed} soak appends failed`);
  violations.push(...subscriberErrors.slice(0, 5));
  for (const app of APPS) {
    const trend = processes[app];
    if (trend.rss.rising) violations.push(`${app} RSS rose from ${mib(trend.rss.firstThirdMedian)} to ${mib(trend.rss.lastThirdMedian)} (limit ${mib(trend.rss.limit)})`);
    if (trend.fds.rising) violations.push(`${app} open fds rose from ${trend.fds.firstThirdMedian} to ${trend.fds.lastThirdMedian} (limit ${trend.fds.limit})`);
  }
  return {
    minutes: options.minutes,
    appendsAcknowledged: counts.acked,
    appendFailures: counts.failed,
    subscriptionsOpened: counts.subscriptions,
    subscriberErrors,
    p99AppendMsPerMinute: latencies.map((minute) => Math.round(percentile(minute, 99) * 10) / 10),
    processes,
    violations,
  };
}

/** Open-loop pacing: one append every 1/rate s, at most 64 in flight, whatever the latency. */
async function appendSteadily(client: EventLogServiceClient, rate: number, endAt: number, random: Random, record: (latencyMs: number, ok: boolean) => void): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const interval = 1_000 / rate;
  for (let next = Date.now(); next < endAt; next += interval) {
    await pause(Math.max(0, next - Date.now()));
    if (inFlight.size >= 64) continue;
    const values = Array.from({ length: random.int(1, 10) }, () => (random.chance(0.5) ? 1n : -1n));
    const begun = performance.now();
    const call = callUnary(client.append.bind(client), { values, idempotencyKey: '' }, { timeoutMs: 10_000 })
      .then(() => record(performance.now() - begun, true), () => record(performance.now() - begun, false))
      .finally(() => inFlight.delete(call));
    inFlight.add(call);
  }
  await Promise.all(inFlight);
}

/** Every ~2 s a subscriber joins (from 0 or near the head) and leaves after 1–6 s. */
async function churnSubscribers(client: EventLogServiceClient, endAt: number, random: Random, done: (subscription: OpenSubscription) => void): Promise<void> {
  const open = new Set<Promise<void>>();
  for (let index = 0; Date.now() < endAt - 7_000; index += 1) {
    const head = (await callUnary(client.getLogInfo.bind(client), {}, { timeoutMs: 5_000 })).nextOffset;
    const from = random.chance(0.3) ? 0n : head > 500n ? head - 500n : 0n;
    const subscription = subscribe(client, `soak-${index}`, from);
    const life = pause(random.int(1_000, 6_000)).then(() => {
      subscription.cancel();
      done(subscription);
    });
    open.add(life);
    void life.finally(() => open.delete(life));
    await pause(random.int(1_500, 2_500));
  }
  await Promise.all(open);
}

/** WatchState watchers on the adder come and go the same way. */
async function churnWatchers(client: ReturnType<typeof createReducerClient>, endAt: number, random: Random): Promise<void> {
  while (Date.now() < endAt - 7_000) {
    const stream = client.watchState({});
    stream.on('data', () => undefined);
    stream.on('error', () => undefined);
    await pause(random.int(1_000, 4_000));
    stream.cancel();
    await pause(random.int(500, 1_500));
  }
}

async function reportProgress(endAt: number, counts: { acked: number }, progress?: (line: string) => void): Promise<void> {
  while (progress && Date.now() < endAt) {
    await pause(Math.min(30_000, Math.max(0, endAt - Date.now())));
    progress(`soak: ${counts.acked} appends acknowledged, ${Math.max(0, Math.round((endAt - Date.now()) / 1000))} s left`);
  }
}

function trendOf(sampler: ProcessSampler): ProcessTrend {
  const { samples } = sampler;
  return {
    rss: upwardTrend(samples.map((sample) => sample.rssBytes), RSS_TREND_TOLERANCE.relative, RSS_TREND_TOLERANCE.absolute),
    fds: upwardTrend(samples.map((sample) => sample.fds), FD_TREND_TOLERANCE.relative, FD_TREND_TOLERANCE.absolute),
    peakRssBytes: sampler.peakRssBytes(),
    fdsAtStart: samples[0]?.fds ?? 0,
    fdsAtEnd: samples[samples.length - 1]?.fds ?? 0,
    samples: samples.length,
    rssMiBSeries: samples.filter((_, index) => index % Math.max(1, Math.round(samples.length / 20)) === 0).map((sample) => Math.round((sample.rssBytes / MIB) * 10) / 10),
  };
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

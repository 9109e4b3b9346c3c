import { loadavg } from 'node:os';
import { workspaceRoot } from '@hello-es/test-support';
import type { BenchContext } from '../context';
import { createBenchContext, failAll, stopClientProfile } from '../context';
import { MEASUREMENT_NOTES } from '../notes';
import { includes, reportDirFor, type BenchOptions } from '../options';
import { machineInfo } from '../report/machine';
import { fileDeployment } from '../system/system';
import { runW1 } from '../workloads/w1-append';
import { runW2 } from '../workloads/w2-catch-up';
import { runBarePublishing } from './bare-publishing';
import { DEPLOYMENTS, jetStreamIds } from './comparison-figures';
import { comparisonRows, longLogRows, renderComparison, targetLineText, writeComparison, type ComparisonReport } from './comparison-report';
import { FULL_COMPARISON_SIZES, QUICK_COMPARISON_SIZES, type ComparisonSizes } from './comparison-sizes';
import { evaluateTargets } from './comparison-targets';
import { runLongLog } from './long-log';
import { gatewayDeployment, natsServerMissing, startNats, type Replicas } from './nats-deployments';

const NOTES: readonly string[] = [
  'Every deployment runs the same workloads with the same sizes in the same run: the file backend (fdatasync before each reply), one gateway (EVENTLOG_STORAGE=jetstream) over an R1 stream on one nats-server, one gateway over an R3 stream on a 3-node cluster on 127.0.0.1, and bare JetStream publishing on those same servers. nats-server runs in its own session (setsid) on free ports with temp store dirs, stopped at the end, on failure and on Ctrl-C.',
  'The gateway rows are measured exactly as the default benchmark measures the file backend (W1 until applied by the adder and the multiplier following the gateway, read from their WatchState; W2 a fresh Subscribe from 0, a fresh adder, W3 kill -9 and restart). Each workload starts a gateway on a stream of its own.',
  'Bare JetStream: @nats-io/jetstream publishes with ack (no message id, no expected sequence), big-endian int64 payloads, two ordered consumers from the start standing in for the reducers; W1b is one message of 1,000 values per publish, W2 a fresh ordered consumer reading the W2 log stored as messages of 10,000 values (values/s). Streams as the gateway creates them: file storage, discard new, the deployment\'s replicas.',
  'Gateway overhead = bare rate / gateway rate − 1 (the extra time per event), same run, same servers. nats-server 2.9 acknowledges once a quorum has the message in memory, before fsync; the file backend fsyncs before every reply: the file column is not the same durability.',
  'M: the long log is filled around the gateway by bare publishes in its message format (headers with the first offset and the count, int64 little-endian values), 64 in flight, each expecting the previous sequence; the gateway follows the head as it follows other gateways. RSS is VmRSS of the gateway process (the "tenth" figures are taken when a tenth of the log was stored, and when the subscriber had read a tenth); the Subscribe is one grpc-js stream from offset 0 in the benchmark process, checked dense and summed.',
  ...MEASUREMENT_NOTES.filter((note) => note.startsWith('Load generator') || note.startsWith('Every run checks exactness') || note.startsWith('W2 fills')),
];

/**
 * `npm run bench -- --storage jetstream`: the file backend, gateways over
 * R1 and R3, and bare JetStream side by side; writes the report to
 * reports/tmp/bench/jetstream-latest.{md,json} and returns the exit code.
 */
export async function runComparison(options: BenchOptions, profileDir: string | undefined): Promise<number> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const sizes = options.quick ? QUICK_COMPARISON_SIZES : FULL_COMPARISON_SIZES;
  const context = createBenchContext(sizes, NOTES, profileDir);
  const missing = natsServerMissing();
  if (missing) context.progress.note(`JetStream deployments skipped: ${missing}`);
  for (let run = 1; run <= options.runs; run++) await runOnce(context, options, sizes, `[run ${run}/${options.runs}]`, missing);
  await stopClientProfile(context);
  const report: ComparisonReport = {
    startedAt,
    wallTimeSeconds: (performance.now() - started) / 1000,
    mode: options.quick ? 'quick' : 'full',
    runs: options.runs,
    machine: machineInfo(workspaceRoot),
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    sizes: { ...sizes },
    targets: evaluateTargets(context.outcomes),
    rows: comparisonRows(context.outcomes),
    longLog: longLogRows(context.outcomes),
    notes: [...context.notes, ...(profileDir ? [`CPU profiles of the spawned apps: ${profileDir}`] : [])],
    ...(context.profiles ? { profiles: context.profiles.phases } : {}),
  };
  const files = await writeComparison(reportDirFor(options, workspaceRoot), report);
  context.progress.note(`wrote ${files.join(', ')}`);
  process.stdout.write(`${renderComparison(report)}\n`);
  for (const line of report.targets) process.stdout.write(`target: ${targetLineText(line)}\n`);
  const failed = [...context.outcomes.all().values()].some((outcomes) => outcomes.some((o) => o.kind === 'failed'));
  if (failed) return 1;
  return options.strict && report.targets.some((t) => t.verdict === 'missed' || t.verdict === 'FAILED') ? 1 : 0;
}

async function runOnce(context: BenchContext, options: BenchOptions, sizes: ComparisonSizes, run: string, natsMissing: string | undefined): Promise<void> {
  const parts = { w1: includes(options, 'w1'), w1b: includes(options, 'w1b'), w2: includes(options, 'w2'), m: includes(options, 'm') };
  const file = fileDeployment(context.spawn, DEPLOYMENTS.file);
  await runWorkloads(context, `${run} file backend`, file, parts);
  for (const replicas of [1, 3] as const) {
    const gateway = replicas === 1 ? DEPLOYMENTS.gatewayR1 : DEPLOYMENTS.gatewayR3;
    const bare = replicas === 1 ? DEPLOYMENTS.bareR1 : DEPLOYMENTS.bareR3;
    const withLongLog = replicas === 1 && parts.m;
    const ids = jetStreamIds(replicas, withLongLog);
    if (natsMissing) {
      for (const id of ids) context.outcomes.skipped(id, natsMissing);
      continue;
    }
    await withNats(context, run, replicas, ids, async (nats) => {
      const deployment = gatewayDeployment(context.spawn, nats, gateway);
      await runWorkloads(context, `${run} gateway R${replicas}`, deployment, parts);
      await runBarePublishing(context, run, nats, bare, parts);
      if (withLongLog) await runLongLog(context, run, nats, deployment, sizes);
    });
  }
}

async function runWorkloads(
  context: BenchContext,
  run: string,
  deployment: ReturnType<typeof fileDeployment>,
  parts: { w1: boolean; w1b: boolean; w2: boolean },
): Promise<void> {
  if (parts.w1 || parts.w1b) await runW1(context, run, { single: parts.w1, batched: parts.w1b }, deployment);
  if (parts.w2) await runW2(context, run, deployment);
}

async function withNats(
  context: BenchContext,
  run: string,
  replicas: Replicas,
  ids: readonly string[],
  body: (nats: Awaited<ReturnType<typeof startNats>>) => Promise<void>,
): Promise<void> {
  context.progress.step(`${run} starting ${replicas === 1 ? 'one nats-server' : 'a 3-node nats-server cluster'}`);
  const nats = await startNats(replicas).catch((error: unknown) => {
    failAll(context, ids, error);
    return undefined;
  });
  if (!nats) return;
  try {
    await body(nats);
  } finally {
    await nats.stop();
  }
}

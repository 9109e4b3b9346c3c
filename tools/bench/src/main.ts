// The benchmark: `npm run bench -- [--quick] [--runs N]` (see docs/benchmarks.md);
// `--storage jetstream`: the file backend, JetStream gateways and bare JetStream side by side (docs/jetstream.md).
// Spawns the built apps, measures the workloads, the machine's limits and
// the peers (NATS JetStream, Redis Streams with appendfsync always), and writes reports/bench/latest.{md,json}.
import { loadavg } from 'node:os';
import { workspaceRoot } from '@hello-es/test-support';
import { createBenchContext, stopClientProfile, type BenchContext } from './context';
import { REFERENCE_ROWS, ROWS } from './figures';
import { runComparison } from './gateway/run-comparison';
import { runJetStream } from './jetstream/jetstream-workloads';
import { runRedis } from './redis/redis-workloads';
import { exitCodeFor, includes, parseOptions, reportDirFor, USAGE, wantsHelp, type BenchOptions } from './options';
import { runStorageLimit } from './references/storage-limit';
import { runTransportLimit } from './references/transport-limit';
import { evaluateRows } from './report/evaluate';
import { figureResult } from './report/figure-result';
import { machineInfo } from './report/machine';
import { renderMarkdown } from './report/markdown';
import type { BenchReport } from './report/report';
import { writeReport } from './report/write-report';
import { FULL_SIZES, QUICK_SIZES } from './sizes';
import { profileDirFor } from './system/apps';
import { runM } from './workloads/m-memory';
import { runW1, runW1WithMetrics } from './workloads/w1-append';
import { runW2 } from './workloads/w2-catch-up';
import { MEASUREMENT_NOTES } from './notes';

async function runOnce(context: BenchContext, options: BenchOptions, run: string): Promise<void> {
  if (includes(options, 'refs')) {
    await runStorageLimit(context, run);
    await runTransportLimit(context, run);
  }
  if (includes(options, 'w1') || includes(options, 'w1b')) {
    await runW1(context, run, { single: includes(options, 'w1'), batched: includes(options, 'w1b') });
  }
  if (includes(options, 'metrics')) await runW1WithMetrics(context, run);
  if (includes(options, 'w2')) await runW2(context, run);
  if (includes(options, 'm')) await runM(context, run);
  if (includes(options, 'js')) await runJetStream(context, run);
  if (includes(options, 'redis')) await runRedis(context, run);
}

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = parseOptions(process.argv.slice(2));
  if (options.storage === 'jetstream') {
    const profileDir = options.profile ? profileDirFor(new Date().toISOString()) : undefined;
    process.exitCode = await runComparison(options, profileDir);
    return;
  }
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
  const profileDir = options.profile ? profileDirFor(startedAt) : undefined;
  const context = createBenchContext(sizes, MEASUREMENT_NOTES, profileDir);
  for (let run = 1; run <= options.runs; run++) await runOnce(context, options, `[run ${run}/${options.runs}]`);
  await stopClientProfile(context);
  const report: BenchReport = {
    startedAt,
    wallTimeSeconds: (performance.now() - started) / 1000,
    mode: options.quick ? 'quick' : 'full',
    runs: options.runs,
    machine: machineInfo(workspaceRoot),
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    sizes: { ...sizes },
    rows: evaluateRows(ROWS, context.outcomes),
    references: REFERENCE_ROWS.map((row) => ({ row, result: figureResult(context.outcomes.of(row.id)) })),
    notes: [...context.notes, ...(profileDir ? [`CPU profiles of the spawned apps: ${profileDir}`] : [])],
    ...(context.profiles ? { profiles: context.profiles.phases } : {}),
  };
  const files = await writeReport(reportDirFor(options, workspaceRoot), report);
  context.progress.note(`wrote ${files.join(', ')}`);
  process.stdout.write(`${renderMarkdown(report)}\n`);
  const failed = report.rows.some((row) => row.ours.status === 'failed');
  const missed = report.rows.filter((row) => row.verdict === 'missed').length;
  if (missed > 0) context.progress.note(`${missed} target(s) missed${options.strict ? ' (--strict: exit 1)' : ' (exit 0; --strict makes this exit 1)'}`);
  process.exitCode = exitCodeFor(options, report.rows.map((row) => row.verdict), failed);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});

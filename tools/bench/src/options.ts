/** What the command line asked for. */
export interface BenchOptions {
  readonly quick: boolean;
  readonly runs: number;
  /** Write a CPU profile of each spawned app (node --cpu-prof) under the reports folder. */
  readonly profile: boolean;
  /** Only the workloads whose name starts with one of these (w1, w1b, w2, m, refs, js, redis, metrics); empty: all. */
  readonly only: readonly string[];
  /** Exit 1 when a target is missed, not only when a workload failed. */
  readonly strict: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--runs N] [--profile] [--only w1,w1b,w2,m,refs,js,redis,metrics] [--strict]
  --quick     everything small: the whole run takes under a minute; its report goes to
              reports/tmp/bench/ (git-ignored), never over the published reports/bench/latest.*
  --runs N    repeat every workload N times (default 3; the table shows median and min–max)
  --profile   write a CPU profile of each spawned app to reports/bench/profiles/
  --only L    run only the listed parts (comma-separated); a partial report also goes to reports/tmp/bench/
  --strict    exit 1 when any target is missed (default: only when a workload failed)`;

const PARTS = ['w1', 'w1b', 'w2', 'm', 'refs', 'js', 'redis', 'metrics'];

/** Parses argv (without node and the script); throws with the usage on anything unknown. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let profile = false;
  let runs = 3;
  let only: string[] = [];
  let strict = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--profile') profile = true;
    else if (arg === '--strict') strict = true;
    else if (arg === '--runs' || arg === '--only') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      if (arg === '--runs') runs = parseRuns(value);
      else only = parseOnly(value);
    } else throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return { quick, runs, profile, only, strict };
}

function parseRuns(value: string): number {
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs must be an integer from 1 to 50, got ${value}`);
  return runs;
}

function parseOnly(value: string): string[] {
  const parts = value.split(',').map((part) => part.trim().toLowerCase()).filter((part) => part !== '');
  for (const part of parts) {
    if (!PARTS.includes(part)) throw new Error(`--only: unknown part ${part}; known: ${PARTS.join(', ')}`);
  }
  return parts;
}

/** Whether a part runs under these options. */
export function includes(options: BenchOptions, part: string): boolean {
  return options.only.length === 0 || options.only.includes(part);
}

/**
 * Where a run's report goes: a full run of everything replaces the published
 * figures (reports/bench/latest.*, linked from the README); a quick or
 * partial run is comparable only with runs of its own kind, so it goes to the
 * git-ignored reports/tmp/bench/.
 */
export function reportDirFor(options: BenchOptions, workspaceRoot: string): string {
  const published = !options.quick && options.only.length === 0;
  return published ? `${workspaceRoot}/reports/bench` : `${workspaceRoot}/reports/tmp/bench`;
}

/** The exit code: 1 when a workload failed, or (with --strict) when a target was missed. */
export function exitCodeFor(options: BenchOptions, verdicts: readonly (string | undefined)[], anyFailed: boolean): number {
  if (anyFailed) return 1;
  return options.strict && verdicts.some((verdict) => verdict === 'missed' || verdict === 'FAILED') ? 1 : 0;
}

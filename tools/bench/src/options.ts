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
  /**
   * file: the default benchmark. jetstream: the storage comparison of issue 13
   * (file backend, gateway over R1 and R3 JetStream, bare JetStream publishing).
   */
  readonly storage: 'file' | 'jetstream';
}

export const USAGE = `usage: npm run bench -- [--quick] [--runs N] [--profile] [--only w1,w1b,w2,m,refs,js,redis,metrics] [--strict]
       npm run bench -- --storage jetstream [--quick] [--runs N] [--only w1,w1b,w2,m] [--strict]
  --quick     everything small: the whole run takes under a minute; its report goes to
              reports/tmp/bench/ (git-ignored), never over the published reports/bench/latest.*
  --runs N    repeat every workload N times (default 3, 1 with --storage jetstream; the table shows median and min–max)
  --profile   write a CPU profile of each spawned app to reports/bench/profiles/
  --only L    run only the listed parts (comma-separated); a partial report also goes to reports/tmp/bench/
  --strict    exit 1 when any target is missed (default: only when a workload failed)
  --help      print this and exit
  --storage S file (default): the benchmark above. jetstream: W1 (1 and 64 in flight, unary and
              AppendStream), W1b and W2 side by side on the file backend, one gateway over an R1
              stream (one nats-server), one gateway over an R3 stream (3-node loopback cluster) and
              bare JetStream publishing (R1 and R3, same client, no gateway); m: 10M events stored
              1,000 per message, Subscribe from 0 through a gateway and the gateway's RSS. Starts
              its own nats-servers (setsid, free ports, temp dirs; skipped unless the Debian package
              nats-server is installed) and writes reports/tmp/bench/jetstream-latest.{md,json}`;

const PARTS = ['w1', 'w1b', 'w2', 'm', 'refs', 'js', 'redis', 'metrics'];
/** The parts of --storage jetstream (m: the 10M-event log, Subscribe from 0 and memory). */
const JETSTREAM_PARTS = ['w1', 'w1b', 'w2', 'm'];

/** Whether the command line asks for the usage (--help or -h anywhere). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** Parses argv (without node and the script); throws with the usage on anything unknown. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let profile = false;
  let runs = 3;
  let only: string[] = [];
  let strict = false;
  let storage: BenchOptions['storage'] = 'file';
  let runsGiven = false;
  let onlyText: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--profile') profile = true;
    else if (arg === '--strict') strict = true;
    else if (arg === '--runs' || arg === '--only' || arg === '--storage') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      if (arg === '--runs') {
        runs = parseRuns(value);
        runsGiven = true;
      } else if (arg === '--only') onlyText = value;
      else storage = parseStorage(value);
    } else throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  if (onlyText !== undefined) only = parseOnly(onlyText, storage === 'jetstream' ? JETSTREAM_PARTS : PARTS);
  // The jetstream comparison starts five deployments and fills a 10M-event log: one run is already long.
  if (storage === 'jetstream' && !runsGiven) runs = 1;
  return { quick, runs, profile, only, strict, storage };
}

function parseStorage(value: string): BenchOptions['storage'] {
  if (value === 'file' || value === 'jetstream') return value;
  throw new Error(`--storage must be file or jetstream, got ${value}`);
}

function parseRuns(value: string): number {
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs must be an integer from 1 to 50, got ${value}`);
  return runs;
}

function parseOnly(value: string, known: readonly string[]): string[] {
  const parts = value.split(',').map((part) => part.trim().toLowerCase()).filter((part) => part !== '');
  for (const part of parts) {
    if (!known.includes(part)) throw new Error(`--only: unknown part ${part}; known: ${known.join(', ')}`);
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
  // The jetstream comparison is not the published benchmark: it always goes where partial runs go.
  const published = !options.quick && options.only.length === 0 && options.storage === 'file';
  return published ? `${workspaceRoot}/reports/bench` : `${workspaceRoot}/reports/tmp/bench`;
}

/** The exit code: 1 when a workload failed, or (with --strict) when a target was missed. */
export function exitCodeFor(options: BenchOptions, verdicts: readonly (string | undefined)[], anyFailed: boolean): number {
  if (anyFailed) return 1;
  return options.strict && verdicts.some((verdict) => verdict === 'missed' || verdict === 'FAILED') ? 1 : 0;
}

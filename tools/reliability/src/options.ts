/** How much the suite does: the quick mode runs in CI, the full mode by hand. */
export interface SuiteOptions {
  readonly mode: 'quick' | 'full';
  /** file: one event log on a data dir; jetstream: the crash loop over two gateways and a 3-node NATS cluster. */
  readonly storage: 'file' | 'jetstream';
  /** Processes killed with SIGKILL in the crash loop. */
  readonly kills: number;
  readonly soakMinutes: number;
  /** How long the "one message a second" subscriber is watched. */
  readonly slowReaderSeconds: number;
  /** Random inputs per method sent over raw HTTP/2. */
  readonly garbagePerMethod: number;
  readonly seed: number;
  /** Run only these scenarios (by name); empty: all of them. */
  readonly only: readonly string[];
}

export const QUICK_OPTIONS: Omit<SuiteOptions, 'seed' | 'only'> = {
  mode: 'quick',
  storage: 'file',
  kills: 20,
  soakMinutes: 1,
  slowReaderSeconds: 5,
  garbagePerMethod: 20,
};

export const FULL_OPTIONS: Omit<SuiteOptions, 'seed' | 'only'> = {
  mode: 'full',
  storage: 'file',
  kills: 200,
  soakMinutes: 10,
  slowReaderSeconds: 30,
  garbagePerMethod: 200,
};

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** --help: the usage text goes to stdout and the command exits 0. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
}

/**
 * Crash-loop kills with --storage jetstream (quick / full): a NATS node's
 * restart waits for every replica to be current and a leader kill costs an
 * election, so a kill takes seconds, not the file backend's fraction of one.
 */
export const JETSTREAM_KILLS = { quick: 8, full: 60 } as const;

/** The scenarios --storage jetstream runs (the others exercise the file backend's disk and one process). */
export const JETSTREAM_SCENARIOS: readonly string[] = ['crashLoop'];

export const USAGE = `usage: tsx tools/reliability/src/main.ts [options]   (npm run reliability -- [options])
  --quick             the CI sizes: 20 kills (8 with jetstream), 1-minute soak, 5 s slow reader, 20 inputs per method
  --storage S         file (default) or jetstream: the crash loop over a 3-node NATS cluster (R3 stream),
                      two gateways and both reducers; it kills gateways, reducers and NATS nodes (the
                      stream leader's and a follower's); the other scenarios are file-backend only
  --kills N           SIGKILLs in the crash loop (default 200, jetstream 60; quick 20, jetstream 8)
  --soak-minutes N    length of the soak (default 10; quick 1)
  --seed N            seed of every random choice (default time-based; printed in the report)
  --only a,b          only these scenarios: crashLoop,faults,hostile,peers,soak
  --help              this text
exit code: 0 all checks passed, 1 a violation, 2 bad usage`;

/** Parses the command line; throws {@link UsageError} naming the bad flag. */
export function parseOptions(argv: readonly string[], defaultSeed = Date.now() % 2 ** 31): SuiteOptions {
  const quick = argv.includes('--quick');
  const base = quick ? QUICK_OPTIONS : FULL_OPTIONS;
  let options: SuiteOptions = { ...base, seed: defaultSeed, only: [] };
  let killsGiven = false;
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    if (flag === '--quick') continue;
    if (flag === '--help' || flag === '-h') throw new HelpRequested(USAGE);
    const value = argv[index + 1];
    index += 1;
    switch (flag) {
      case '--soak-minutes':
        options = { ...options, soakMinutes: positiveNumber(flag, value) };
        break;
      case '--kills':
        options = { ...options, kills: Math.round(positiveNumber(flag, value)) };
        killsGiven = true;
        break;
      case '--storage':
        if (value !== 'file' && value !== 'jetstream') throw new UsageError(`--storage must be file or jetstream, got "${value ?? ''}"\n${USAGE}`);
        options = { ...options, storage: value };
        break;
      case '--seed':
        options = { ...options, seed: Math.round(positiveNumber(flag, value)) };
        break;
      case '--only':
        options = { ...options, only: (value ?? '').split(',').filter((name) => name !== '') };
        break;
      default:
        throw new UsageError(`unknown flag "${flag ?? ''}"\n${USAGE}`);
    }
  }
  if (options.storage === 'jetstream') {
    const fileOnly = options.only.filter((name) => !JETSTREAM_SCENARIOS.includes(name));
    if (fileOnly.length > 0) throw new UsageError(`--storage jetstream runs only ${JETSTREAM_SCENARIOS.join(', ')}, not ${fileOnly.join(', ')}\n${USAGE}`);
    options = { ...options, only: [...JETSTREAM_SCENARIOS], kills: killsGiven ? options.kills : JETSTREAM_KILLS[options.mode] };
  }
  return options;
}

function positiveNumber(flag: string, raw: string | undefined): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${flag} needs a positive number, got "${raw ?? ''}"\n${USAGE}`);
  }
  return value;
}

/** How much the suite does: the quick mode runs in CI, the full mode by hand. */
export interface SuiteOptions {
  readonly mode: 'quick' | 'full';
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
  kills: 20,
  soakMinutes: 1,
  slowReaderSeconds: 5,
  garbagePerMethod: 20,
};

export const FULL_OPTIONS: Omit<SuiteOptions, 'seed' | 'only'> = {
  mode: 'full',
  kills: 200,
  soakMinutes: 10,
  slowReaderSeconds: 30,
  garbagePerMethod: 200,
};

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE =
  'usage: tsx tools/reliability/src/main.ts [--quick] [--soak-minutes N] [--kills N] [--seed N] [--only crashLoop,faults,hostile,peers,soak]';

/** Parses the command line; throws {@link UsageError} naming the bad flag. */
export function parseOptions(argv: readonly string[], defaultSeed = Date.now() % 2 ** 31): SuiteOptions {
  const quick = argv.includes('--quick');
  const base = quick ? QUICK_OPTIONS : FULL_OPTIONS;
  let options: SuiteOptions = { ...base, seed: defaultSeed, only: [] };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    if (flag === '--quick') continue;
    const value = argv[index + 1];
    index += 1;
    switch (flag) {
      case '--soak-minutes':
        options = { ...options, soakMinutes: positiveNumber(flag, value) };
        break;
      case '--kills':
        options = { ...options, kills: Math.round(positiveNumber(flag, value)) };
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
  return options;
}

function positiveNumber(flag: string, raw: string | undefined): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${flag} needs a positive number, got "${raw ?? ''}"\n${USAGE}`);
  }
  return value;
}

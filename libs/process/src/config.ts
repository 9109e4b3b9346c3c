/**
 * Reading configuration from environment variables. Every reader throws a
 * {@link ConfigError} that names the variable, so a bad setting stops the
 * process at start with a message that says what to fix.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`invalid configuration: ${variable} ${problem}`);
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}

function valueOf(env: Env, variable: string): string | undefined {
  const raw = env[variable];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

/** A "host:port" listening address; port 0 picks a free port. */
export function readListenAddress(env: Env, variable: string, fallback: string): string {
  const address = valueOf(env, variable) ?? fallback;
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(address);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65_535) {
    throw new ConfigError(variable, `must be host:port (for example 127.0.0.1:50051), got "${address}"`);
  }
  return address;
}

/** A "host:port" address of a server to connect to. */
export function readServerAddress(env: Env, variable: string, fallback: string): string {
  const address = valueOf(env, variable) ?? fallback;
  const withoutScheme = address.replace(/^(dns:|ipv4:|ipv6:)/, '');
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(withoutScheme)) {
    throw new ConfigError(variable, `must be host:port (for example 127.0.0.1:50051), got "${address}"`);
  }
  return address;
}

export interface IntegerBounds {
  readonly min: number;
  readonly max: number;
}

/** A whole number within `bounds`. */
export function readInteger(env: Env, variable: string, fallback: number, bounds: IntegerBounds): number {
  const raw = valueOf(env, variable);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(variable, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < bounds.min || value > bounds.max) {
    throw new ConfigError(variable, `must be between ${bounds.min} and ${bounds.max}, got ${raw}`);
  }
  return value;
}

/** A non-empty string, or the fallback. */
export function readString(env: Env, variable: string, fallback: string): string {
  return valueOf(env, variable) ?? fallback;
}

/** One of `choices`. */
export function readChoice<T extends string>(env: Env, variable: string, fallback: T, choices: readonly T[]): T {
  const raw = valueOf(env, variable);
  if (raw === undefined) return fallback;
  const choice = choices.find((candidate) => candidate === raw);
  if (choice === undefined) throw new ConfigError(variable, `must be one of ${choices.join(', ')}, got "${raw}"`);
  return choice;
}

/** A comma-separated list of signed 64-bit integers, or undefined. */
export function readInt64List(env: Env, variable: string): bigint[] | undefined {
  const raw = valueOf(env, variable);
  if (raw === undefined) return undefined;
  return raw.split(',').map((part) => {
    const item = part.trim();
    if (!/^-?\d+$/.test(item)) throw new ConfigError(variable, `must be comma-separated integers, got "${item}"`);
    const value = BigInt(item);
    if (value < -(2n ** 63n) || value >= 2n ** 63n) {
      throw new ConfigError(variable, `holds ${item}, outside the signed 64-bit range`);
    }
    return value;
  });
}

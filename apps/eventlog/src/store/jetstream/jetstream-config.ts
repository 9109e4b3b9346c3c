import { ConfigError, readChoice, readInteger, readString, type Env, type Setting } from '@hello-es/process';

/**
 * EVENTLOG_STORAGE=jetstream: the event log process is a stateless gateway
 * over one JetStream stream (docs/jetstream.md); any number of gateways may
 * serve the same stream.
 */
export interface JetStreamStorageConfig {
  readonly kind: 'jetstream';
  /** NATS_URL: the servers, comma-separated (nats://host:port or host:port). */
  readonly servers: readonly string[];
  /** NATS_STREAM: the stream's name (default HELLO_ES_EVENTS). */
  readonly stream: string;
  /** NATS_REPLICAS: 1 or 3, used only when this gateway creates the stream. */
  readonly replicas: 1 | 3;
  /** NATS_DEDUPE_WINDOW: how long the stream remembers message ids (idempotency keys); set when the stream is created. */
  readonly dedupeWindowMs: number;
  /** NATS_CONNECT_TIMEOUT_SECONDS: how long the gateway keeps trying to reach NATS and the stream at start. */
  readonly connectTimeoutMs: number;
  /** NATS_REQUEST_TIMEOUT_MS: one JetStream request (publish, message get, stream info). */
  readonly requestTimeoutMs: number;
  /** NATS_APPEND_TIMEOUT_SECONDS: one append, retries included (conflicts, elections). */
  readonly appendTimeoutMs: number;
  /** NATS_PUBLISHES_IN_FLIGHT: appends one gateway publishes before their acks are in (chained, docs/jetstream.md). */
  readonly publishesInFlight: number;
  /** NATS_APPENDS_WAITING: appends one gateway queues behind those in flight before it refuses more (RESOURCE_EXHAUSTED). */
  readonly appendsWaiting: number;
  readonly credentials: NatsCredentials;
  /** NATS_TLS_CA: a CA file; when set, the connection to NATS uses TLS checked against it. */
  readonly tlsCaFile: string | undefined;
}

export type NatsCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'user'; readonly user: string; readonly password: string }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'creds-file'; readonly file: string };

export const DEFAULT_NATS_STREAM = 'HELLO_ES_EVENTS';
const DAY_MS = 86_400_000;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS };

export const JETSTREAM_STORAGE_SETTINGS: readonly Setting[] = [
  { variable: 'NATS_URL', default: 'nats://127.0.0.1:4222', meaning: 'jetstream: NATS servers, comma-separated' },
  { variable: 'NATS_STREAM', default: DEFAULT_NATS_STREAM, meaning: 'jetstream: the stream holding the log (created if missing)' },
  { variable: 'NATS_REPLICAS', default: '1', meaning: 'jetstream: 1 or 3 replicas, used only when the gateway creates the stream' },
  {
    variable: 'NATS_DEDUPE_WINDOW',
    default: '1d',
    meaning: 'jetstream: how long an idempotency key is remembered (30s, 10m, 12h, 1d; the stream\'s duplicate window, set at creation)',
  },
  { variable: 'NATS_USER', default: 'unset', meaning: 'jetstream: user for NATS (with NATS_PASSWORD)' },
  { variable: 'NATS_PASSWORD', default: 'unset', meaning: 'jetstream: password for NATS (with NATS_USER)' },
  { variable: 'NATS_TOKEN', default: 'unset', meaning: 'jetstream: a token for NATS' },
  { variable: 'NATS_CREDS', default: 'unset', meaning: 'jetstream: a .creds file (JWT and nkey) for NATS' },
  { variable: 'NATS_TLS_CA', default: 'unset', meaning: 'jetstream: CA file; TLS to NATS checked against it' },
  { variable: 'NATS_CONNECT_TIMEOUT_SECONDS', default: '30', meaning: 'jetstream: how long to keep trying to reach NATS at start' },
  { variable: 'NATS_REQUEST_TIMEOUT_MS', default: '5000', meaning: 'jetstream: timeout of one JetStream request' },
  { variable: 'NATS_APPEND_TIMEOUT_SECONDS', default: '30', meaning: 'jetstream: one append with its retries (conflicts, elections)' },
  {
    variable: 'NATS_PUBLISHES_IN_FLIGHT',
    default: '64',
    meaning: 'jetstream: appends a gateway publishes before their acks are in (1 to 1024; 1 = one at a time)',
  },
  {
    variable: 'NATS_APPENDS_WAITING',
    default: '16384',
    meaning: 'jetstream: appends a gateway queues behind those in flight; more get RESOURCE_EXHAUSTED (1 to 1000000)',
  },
];

/** Reads the jetstream backend's variables; throws ConfigError naming the variable. */
export function readJetStreamStorageConfig(env: Env): JetStreamStorageConfig {
  const stream = readString(env, 'NATS_STREAM', DEFAULT_NATS_STREAM);
  // JetStream stream names may not hold spaces, dots, '*', '>' or path separators.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(stream)) {
    throw new ConfigError('NATS_STREAM', `must be 1 to 64 letters, digits, '_' or '-', got "${stream}"`);
  }
  const replicas = readChoice(env, 'NATS_REPLICAS', '1', ['1', '3'] as const);
  return {
    kind: 'jetstream',
    servers: readServers(env),
    stream,
    replicas: replicas === '3' ? 3 : 1,
    dedupeWindowMs: readDuration(env, 'NATS_DEDUPE_WINDOW', DAY_MS, { min: 1_000, max: 365 * DAY_MS }),
    connectTimeoutMs: readInteger(env, 'NATS_CONNECT_TIMEOUT_SECONDS', 30, { min: 1, max: 3_600 }) * 1_000,
    requestTimeoutMs: readInteger(env, 'NATS_REQUEST_TIMEOUT_MS', 5_000, { min: 100, max: 600_000 }),
    appendTimeoutMs: readInteger(env, 'NATS_APPEND_TIMEOUT_SECONDS', 30, { min: 1, max: 3_600 }) * 1_000,
    publishesInFlight: readInteger(env, 'NATS_PUBLISHES_IN_FLIGHT', 64, { min: 1, max: 1_024 }),
    appendsWaiting: readInteger(env, 'NATS_APPENDS_WAITING', 16_384, { min: 1, max: 1_000_000 }),
    credentials: readCredentials(env),
    tlsCaFile: optional(env, 'NATS_TLS_CA'),
  };
}

function readServers(env: Env): string[] {
  const raw = readString(env, 'NATS_URL', 'nats://127.0.0.1:4222');
  const servers = raw.split(',').map((part) => part.trim());
  for (const server of servers) {
    if (!/^((nats|tls):\/\/)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(server)) {
      throw new ConfigError('NATS_URL', `must be comma-separated nats://host:port addresses, got "${server}"`);
    }
  }
  return servers;
}

function optional(env: Env, variable: string): string | undefined {
  const value = readString(env, variable, '');
  return value === '' ? undefined : value;
}

function readCredentials(env: Env): NatsCredentials {
  const user = optional(env, 'NATS_USER');
  const password = optional(env, 'NATS_PASSWORD');
  const token = optional(env, 'NATS_TOKEN');
  const file = optional(env, 'NATS_CREDS');
  const chosen = [user !== undefined || password !== undefined, token !== undefined, file !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new ConfigError('NATS_TOKEN', 'set one of NATS_USER/NATS_PASSWORD, NATS_TOKEN or NATS_CREDS, not several');
  if (user !== undefined || password !== undefined) {
    if (user === undefined) throw new ConfigError('NATS_USER', 'must be set when NATS_PASSWORD is');
    if (password === undefined) throw new ConfigError('NATS_PASSWORD', 'must be set when NATS_USER is');
    return { kind: 'user', user, password };
  }
  if (token !== undefined) return { kind: 'token', token };
  if (file !== undefined) return { kind: 'creds-file', file };
  return { kind: 'none' };
}

/** A duration such as 90s, 10m, 12h or 1d, in milliseconds within `bounds`. */
function readDuration(env: Env, variable: string, fallback: number, bounds: { min: number; max: number }): number {
  const raw = optional(env, variable);
  if (raw === undefined) return fallback;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(raw);
  const value = match ? Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? NaN) : NaN;
  if (!Number.isSafeInteger(value)) throw new ConfigError(variable, `must be a duration such as 90s, 10m, 12h or 1d, got "${raw}"`);
  if (value < bounds.min || value > bounds.max) {
    throw new ConfigError(variable, `must be between ${bounds.min / 1_000}s and ${bounds.max / DAY_MS}d, got ${raw}`);
  }
  return value;
}

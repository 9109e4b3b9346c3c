import { DEFAULT_EVENTLOG_ADDRESS, type ClientSecurityOptions } from '@hello-es/contracts';
import {
  defaultMetricsListenFor,
  loadCaBundle,
  loadIdentity,
  metricsListenSetting,
  readEventLogClientTls,
  readEventLogToken,
  readMetricsListen,
  type MetricsListen,
} from '@hello-es/grpc-server';
import {
  ConfigError,
  readInteger,
  readListenAddress,
  readServerAddress,
  readString,
  type Env,
  type Setting,
} from '@hello-es/process';

/** Everything a reducer process reads from its environment, validated. */
export interface ReducerConfig {
  /** Where the ReducerService listens ("host:port"). */
  readonly listenAddress: string;
  /** The event log to follow. */
  readonly eventLogAddress: string;
  /** TLS files (EVENTLOG_TLS_*) and bearer token (EVENTLOG_TOKEN[_FILE]) for the log, checked at start. */
  readonly eventLogSecurity: ClientSecurityOptions;
  /** Snapshots live in `<dataDir>/<reducer name>/`. */
  readonly dataDir: string;
  /** Snapshot after this many new events… */
  readonly snapshotEveryEvents: number;
  /** …or this long after the last snapshot, if anything changed. */
  readonly snapshotEveryMs: number;
  /** Longest GetState wait for `min_next_offset` when the call has no deadline. */
  readonly maxWaitMs: number;
  /** Reconnect backoff: first delay and cap (exponential with jitter in between). */
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** <NAME>_METRICS_LISTEN: where /metrics is served (default from the gRPC port, adder 127.0.0.1:9465); undefined: off. */
  readonly metricsListen: MetricsListen;
}

export const DEFAULT_SNAPSHOT_EVERY_EVENTS = 100_000;
export const DEFAULT_SNAPSHOT_EVERY_MS = 5_000;
export const DEFAULT_MAX_WAIT_MS = 30_000;
export const DEFAULT_BACKOFF_INITIAL_MS = 100;
export const DEFAULT_BACKOFF_MAX_MS = 5_000;

const DAY_MS = 86_400_000;

/** The listen variable for a reducer: "adder" → ADDER_LISTEN, "my-sum" → MY_SUM_LISTEN. */
export function listenVariableFor(reducerName: string): string {
  return `${reducerName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_LISTEN`;
}

/** The metrics variable for a reducer: "adder" → ADDER_METRICS_LISTEN. */
export function metricsListenVariableFor(reducerName: string): string {
  return listenVariableFor(reducerName).replace(/_LISTEN$/, '_METRICS_LISTEN');
}

/**
 * Reads a reducer's configuration. Throws a ConfigError naming the variable
 * when a setting is invalid.
 */
export function readReducerConfig(env: Env, reducerName: string, defaultListenAddress: string): ReducerConfig {
  const backoffInitialMs = readInteger(env, 'REDUCER_BACKOFF_INITIAL_MS', DEFAULT_BACKOFF_INITIAL_MS, { min: 1, max: 60_000 });
  const backoffMaxMs = readInteger(env, 'REDUCER_BACKOFF_MAX_MS', DEFAULT_BACKOFF_MAX_MS, { min: 1, max: 600_000 });
  if (backoffMaxMs < backoffInitialMs) {
    throw new ConfigError('REDUCER_BACKOFF_MAX_MS', `must be at least REDUCER_BACKOFF_INITIAL_MS (${backoffInitialMs}), got ${backoffMaxMs}`);
  }
  return {
    listenAddress: readListenAddress(env, listenVariableFor(reducerName), defaultListenAddress),
    eventLogAddress: readServerAddress(env, 'EVENTLOG_URL', DEFAULT_EVENTLOG_ADDRESS),
    eventLogSecurity: readEventLogSecurity(env),
    dataDir: readString(env, 'DATA_DIR', './data'),
    snapshotEveryEvents: readInteger(env, 'SNAPSHOT_EVERY_EVENTS', DEFAULT_SNAPSHOT_EVERY_EVENTS, { min: 1, max: 1_000_000_000 }),
    snapshotEveryMs: readInteger(env, 'SNAPSHOT_EVERY_MS', DEFAULT_SNAPSHOT_EVERY_MS, { min: 10, max: DAY_MS }),
    maxWaitMs: readInteger(env, 'REDUCER_MAX_WAIT_MS', DEFAULT_MAX_WAIT_MS, { min: 1, max: DAY_MS }),
    backoffInitialMs,
    backoffMaxMs,
    metricsListen: readMetricsListen(env, metricsListenVariableFor(reducerName), defaultMetricsListenFor(defaultListenAddress)),
  };
}

/** The reducers' TLS and token settings for the log; bad files stop the process naming the variable. */
function readEventLogSecurity(env: Env): ClientSecurityOptions {
  const tls = readEventLogClientTls(env);
  if (tls?.caFile) loadCaBundle('EVENTLOG_TLS_CA_FILE', tls.caFile);
  if (tls?.certFile && tls.keyFile) loadIdentity('EVENTLOG_TLS_CLIENT_CERT_FILE', tls.certFile, 'EVENTLOG_TLS_CLIENT_KEY_FILE', tls.keyFile);
  const token = readEventLogToken(env);
  return { ...(tls ? { tls } : {}), ...(token ? { token } : {}) };
}

/** A reducer's settings table, for --help and the README. */
export function reducerSettings(reducerName: string, defaultListenAddress: string): readonly Setting[] {
  return [
    { variable: listenVariableFor(reducerName), default: defaultListenAddress, meaning: 'host:port the ReducerService listens on' },
    metricsListenSetting(metricsListenVariableFor(reducerName), defaultMetricsListenFor(defaultListenAddress)),
    { variable: 'EVENTLOG_URL', default: DEFAULT_EVENTLOG_ADDRESS, meaning: 'the event log to follow' },
    { variable: 'DATA_DIR', default: './data', meaning: `snapshots live in DATA_DIR/${reducerName}` },
    { variable: 'SNAPSHOT_EVERY_EVENTS', default: String(DEFAULT_SNAPSHOT_EVERY_EVENTS), meaning: 'snapshot after this many new events' },
    { variable: 'SNAPSHOT_EVERY_MS', default: String(DEFAULT_SNAPSHOT_EVERY_MS), meaning: 'or this long after the last snapshot' },
    { variable: 'REDUCER_MAX_WAIT_MS', default: String(DEFAULT_MAX_WAIT_MS), meaning: 'longest GetState wait for min_next_offset without a deadline' },
    { variable: 'REDUCER_BACKOFF_INITIAL_MS', default: String(DEFAULT_BACKOFF_INITIAL_MS), meaning: 'first reconnect delay' },
    { variable: 'REDUCER_BACKOFF_MAX_MS', default: String(DEFAULT_BACKOFF_MAX_MS), meaning: 'longest reconnect delay' },
  ];
}

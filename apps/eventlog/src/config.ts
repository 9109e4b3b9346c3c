import { metricsListenSetting, readMetricsListen, type MetricsListen } from '@hello-es/grpc-server';
import { readInt64List, readInteger, readListenAddress, type Env, type Setting } from '@hello-es/process';
import { MAX_APPEND_VALUES_LIMIT } from './store/log-store';
import { readStorageConfig, STORAGE_SETTINGS, type StorageConfig } from './store/storage-config';

/** The event log's settings, read once at start (see docs/eventlog.md). */
export interface EventLogConfig {
  /** EVENTLOG_LISTEN, "host:port" (default 127.0.0.1:50051). */
  readonly listen: string;
  /** EVENTLOG_STORAGE (default file) and the chosen backend's own settings. */
  readonly storage: StorageConfig;
  /** EVENTLOG_SEED: values appended when the log is new. */
  readonly seed: readonly bigint[] | undefined;
  /** EVENTLOG_MAX_APPEND_VALUES (default 10,000). */
  readonly maxAppendValues: number;
  /** EVENTLOG_APPEND_STREAM_WINDOW (default 1,024): unanswered appends per AppendStream before the server stops reading it. */
  readonly appendStreamWindow: number;
  /** EVENTLOG_METRICS_LISTEN: where /metrics is served (default 127.0.0.1:9464); undefined: off. */
  readonly metricsListen: MetricsListen;
}

export const DEFAULT_MAX_APPEND_VALUES = 10_000;
export const DEFAULT_APPEND_STREAM_WINDOW = 1_024;
/** A larger window buys nothing (a group commit is already big at 1,024) and costs memory per stream. */
export const MAX_APPEND_STREAM_WINDOW = 65_536;
export const DEFAULT_EVENTLOG_METRICS_LISTEN = '127.0.0.1:9464';

/** Reads and validates the settings; throws ConfigError naming the variable. */
export function readEventLogConfig(env: Env): EventLogConfig {
  return {
    listen: readListenAddress(env, 'EVENTLOG_LISTEN', '127.0.0.1:50051'),
    storage: readStorageConfig(env),
    seed: readInt64List(env, 'EVENTLOG_SEED'),
    maxAppendValues: readInteger(env, 'EVENTLOG_MAX_APPEND_VALUES', DEFAULT_MAX_APPEND_VALUES, {
      min: 1,
      max: MAX_APPEND_VALUES_LIMIT,
    }),
    appendStreamWindow: readInteger(env, 'EVENTLOG_APPEND_STREAM_WINDOW', DEFAULT_APPEND_STREAM_WINDOW, {
      min: 1,
      max: MAX_APPEND_STREAM_WINDOW,
    }),
    metricsListen: readMetricsListen(env, 'EVENTLOG_METRICS_LISTEN', DEFAULT_EVENTLOG_METRICS_LISTEN),
  };
}

/** The event log's settings table, for --help and the README. */
export const eventLogSettings: readonly Setting[] = [
  { variable: 'EVENTLOG_LISTEN', default: '127.0.0.1:50051', meaning: 'host:port to listen on (port 0 picks a free port)' },
  { variable: 'EVENTLOG_SEED', default: 'unset', meaning: 'comma-separated int64 values appended when the log is new' },
  { variable: 'EVENTLOG_MAX_APPEND_VALUES', default: String(DEFAULT_MAX_APPEND_VALUES), meaning: 'most values in one Append' },
  {
    variable: 'EVENTLOG_APPEND_STREAM_WINDOW',
    default: String(DEFAULT_APPEND_STREAM_WINDOW),
    meaning: 'unanswered appends one AppendStream may hold before the server stops reading it (1 to 65536)',
  },
  metricsListenSetting('EVENTLOG_METRICS_LISTEN', DEFAULT_EVENTLOG_METRICS_LISTEN),
  // Each storage backend owns the rows of its own variables (store/<backend>/).
  ...STORAGE_SETTINGS,
];

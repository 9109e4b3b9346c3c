import { join } from 'node:path';
import { readChoice, readInt64List, readInteger, readListenAddress, readString, type Env } from '@hello-es/grpc-server';
import { DEFAULT_MAX_GROUP_RECORDS } from './store/file-log-store';

export type StorageKind = 'file' | 'memory';

/** The event log's settings, read once at start (see docs/eventlog.md). */
export interface EventLogConfig {
  /** EVENTLOG_LISTEN, "host:port" (default 127.0.0.1:50051). */
  readonly listen: string;
  /** DATA_DIR/eventlog (DATA_DIR default ./data). */
  readonly logDir: string;
  /** EVENTLOG_STORAGE: file (default) or memory. */
  readonly storage: StorageKind;
  /** EVENTLOG_SEED: values appended when the log is new. */
  readonly seed: readonly bigint[] | undefined;
  /** EVENTLOG_MAX_APPEND_VALUES (default 10,000). */
  readonly maxAppendValues: number;
  /** EVENTLOG_VERIFY_ON_START: full (check every record's checksum) or tail. */
  readonly verifyOnStart: 'full' | 'tail';
  /** EVENTLOG_ON_TAIL_DAMAGE: truncate (default; cut-off bytes kept in a side file) or refuse to start. */
  readonly onTailDamage: 'truncate' | 'refuse';
}

export const DEFAULT_MAX_APPEND_VALUES = 10_000;

/** Reads and validates the settings; throws ConfigError naming the variable. */
export function readEventLogConfig(env: Env): EventLogConfig {
  return {
    listen: readListenAddress(env, 'EVENTLOG_LISTEN', '127.0.0.1:50051'),
    logDir: join(readString(env, 'DATA_DIR', './data'), 'eventlog'),
    storage: readChoice<StorageKind>(env, 'EVENTLOG_STORAGE', 'file', ['file', 'memory']),
    seed: readInt64List(env, 'EVENTLOG_SEED'),
    // A group write holds whole appends, so one append must fit in a group.
    maxAppendValues: readInteger(env, 'EVENTLOG_MAX_APPEND_VALUES', DEFAULT_MAX_APPEND_VALUES, {
      min: 1,
      max: DEFAULT_MAX_GROUP_RECORDS,
    }),
    verifyOnStart: readChoice(env, 'EVENTLOG_VERIFY_ON_START', 'full', ['full', 'tail'] as const),
    onTailDamage: readChoice(env, 'EVENTLOG_ON_TAIL_DAMAGE', 'truncate', ['truncate', 'refuse'] as const),
  };
}

import { join } from 'node:path';
import { readChoice, readString, type Env } from '@hello-es/grpc-server';
import type { SettingRow } from '../storage-config';

/** EVENTLOG_STORAGE=file: the embedded, durable log. */
export interface FileStorageConfig {
  readonly kind: 'file';
  /** DATA_DIR/eventlog (DATA_DIR default ./data). */
  readonly dir: string;
  /** EVENTLOG_VERIFY_ON_START: full (check every record's checksum) or tail. */
  readonly verifyOnStart: 'full' | 'tail';
}

export const FILE_STORAGE_SETTINGS: readonly SettingRow[] = [
  { variable: 'DATA_DIR', fallback: '`./data`', meaning: 'the log lives in `DATA_DIR/eventlog/`' },
  {
    variable: 'EVENTLOG_VERIFY_ON_START',
    fallback: '`full`',
    meaning:
      "`full`: check every record's checksum at start (about 2.3 s per 10 million events on a 2-core VM); `tail`: only the last two group writes",
  },
];

export function readFileStorageConfig(env: Env): FileStorageConfig {
  return {
    kind: 'file',
    dir: join(readString(env, 'DATA_DIR', './data'), 'eventlog'),
    verifyOnStart: readChoice(env, 'EVENTLOG_VERIFY_ON_START', 'full', ['full', 'tail'] as const),
  };
}

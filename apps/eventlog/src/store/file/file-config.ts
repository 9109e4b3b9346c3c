import { join } from 'node:path';
import { readChoice, readString, type Env, type Setting } from '@hello-es/process';

/** EVENTLOG_STORAGE=file: the embedded, durable log. */
export interface FileStorageConfig {
  readonly kind: 'file';
  /** DATA_DIR/eventlog (DATA_DIR default ./data). */
  readonly dir: string;
  /** EVENTLOG_VERIFY_ON_START: full (check every record's checksum) or tail. */
  readonly verifyOnStart: 'full' | 'tail';
}

export const FILE_STORAGE_SETTINGS: readonly Setting[] = [
  { variable: 'DATA_DIR', default: './data', meaning: 'the log lives in DATA_DIR/eventlog' },
  { variable: 'EVENTLOG_VERIFY_ON_START', default: 'full', meaning: "full (check every record's checksum) or tail" },
];

export function readFileStorageConfig(env: Env): FileStorageConfig {
  return {
    kind: 'file',
    dir: join(readString(env, 'DATA_DIR', './data'), 'eventlog'),
    verifyOnStart: readChoice(env, 'EVENTLOG_VERIFY_ON_START', 'full', ['full', 'tail'] as const),
  };
}

import { join } from 'node:path';
import { readChoice, readString, type Env, type Setting } from '@hello-es/process';

/** EVENTLOG_STORAGE=file: the embedded, durable log. */
export interface FileStorageConfig {
  readonly kind: 'file';
  /** DATA_DIR/eventlog (DATA_DIR default ./data). */
  readonly dir: string;
  /** EVENTLOG_VERIFY_ON_START: full (check every record's checksum) or tail. */
  readonly verifyOnStart: 'full' | 'tail';
  /** EVENTLOG_ON_TAIL_DAMAGE: truncate (default; the cut-off bytes are kept in a side file) or refuse to start. */
  readonly onTailDamage: 'truncate' | 'refuse';
}

export const FILE_STORAGE_SETTINGS: readonly Setting[] = [
  { variable: 'DATA_DIR', default: './data', meaning: 'the log lives in DATA_DIR/eventlog' },
  { variable: 'EVENTLOG_VERIFY_ON_START', default: 'full', meaning: "full (check every record's checksum) or tail" },
  {
    variable: 'EVENTLOG_ON_TAIL_DAMAGE',
    default: 'truncate',
    meaning: 'a damaged last group at start: truncate (the bytes go to events.log.tail-<time>) or refuse to start',
  },
];

export function readFileStorageConfig(env: Env): FileStorageConfig {
  return {
    kind: 'file',
    dir: join(readString(env, 'DATA_DIR', './data'), 'eventlog'),
    verifyOnStart: readChoice(env, 'EVENTLOG_VERIFY_ON_START', 'full', ['full', 'tail'] as const),
    onTailDamage: readChoice(env, 'EVENTLOG_ON_TAIL_DAMAGE', 'truncate', ['truncate', 'refuse'] as const),
  };
}

import type { Env } from '@hello-es/grpc-server';
import type { SettingRow } from '../storage-config';

/** EVENTLOG_STORAGE=memory: nothing survives a restart; for tests. */
export interface MemoryStorageConfig {
  readonly kind: 'memory';
}

/** The memory store has no settings of its own. */
export const MEMORY_STORAGE_SETTINGS: readonly SettingRow[] = [];

export function readMemoryStorageConfig(_env: Env): MemoryStorageConfig {
  return { kind: 'memory' };
}

import type { Env, Setting } from '@hello-es/process';

/** EVENTLOG_STORAGE=memory: nothing survives a restart; for tests. */
export interface MemoryStorageConfig {
  readonly kind: 'memory';
}

/** The memory store has no settings of its own. */
export const MEMORY_STORAGE_SETTINGS: readonly Setting[] = [];

export function readMemoryStorageConfig(_env: Env): MemoryStorageConfig {
  return { kind: 'memory' };
}

import { readChoice, type Env } from '@hello-es/grpc-server';
import { readFileStorageConfig, FILE_STORAGE_SETTINGS, type FileStorageConfig } from './file/file-config';
import { MEMORY_STORAGE_SETTINGS, readMemoryStorageConfig, type MemoryStorageConfig } from './memory/memory-config';

/**
 * The storage settings, one member per backend, told apart by `kind` (the
 * EVENTLOG_STORAGE value). Each backend folder owns its member, its parsing
 * and the docs rows of its variables; a new backend adds one member here,
 * one case below and one in open-log-store.ts.
 */
export type StorageConfig = FileStorageConfig | MemoryStorageConfig;
export type StorageKind = StorageConfig['kind'];

export const STORAGE_KINDS: readonly StorageKind[] = ['file', 'memory'];

/** One row of a settings table in docs/eventlog.md, cells as Markdown. */
export interface SettingRow {
  readonly variable: string;
  readonly fallback: string;
  readonly meaning: string;
}

export const STORAGE_SETTINGS: readonly SettingRow[] = [
  {
    variable: 'EVENTLOG_STORAGE',
    fallback: '`file`',
    meaning: '`file` (embedded, durable) or `memory` (nothing survives a restart; for tests)',
  },
  ...FILE_STORAGE_SETTINGS,
  ...MEMORY_STORAGE_SETTINGS,
];

/** The row as it appears in the docs table. */
export function settingRowMarkdown(row: SettingRow): string {
  return `| \`${row.variable}\` | ${row.fallback} | ${row.meaning} |`;
}

/** Reads EVENTLOG_STORAGE, then the chosen backend's own variables; throws ConfigError naming the variable. */
export function readStorageConfig(env: Env): StorageConfig {
  const kind = readChoice<StorageKind>(env, 'EVENTLOG_STORAGE', 'file', STORAGE_KINDS);
  switch (kind) {
    case 'file':
      return readFileStorageConfig(env);
    case 'memory':
      return readMemoryStorageConfig(env);
    default:
      return assertNever(kind);
  }
}

/** Compile-time exhaustiveness: a kind without a case fails to typecheck here. */
export function assertNever(value: never): never {
  throw new Error(`unknown storage kind: ${JSON.stringify(value)}`);
}

import { readChoice, type Env, type Setting } from '@hello-es/process';
import { readFileStorageConfig, FILE_STORAGE_SETTINGS, type FileStorageConfig } from './file/file-config';
import {
  JETSTREAM_STORAGE_SETTINGS,
  readJetStreamStorageConfig,
  type JetStreamStorageConfig,
} from './jetstream/jetstream-config';
import { MEMORY_STORAGE_SETTINGS, readMemoryStorageConfig, type MemoryStorageConfig } from './memory/memory-config';

/**
 * The storage settings, one member per backend, told apart by `kind` (the
 * EVENTLOG_STORAGE value). Each backend folder owns its member, its parsing
 * and the docs rows of its variables; a new backend adds one member here,
 * one case below and one in open-log-store.ts.
 */
export type StorageConfig = FileStorageConfig | MemoryStorageConfig | JetStreamStorageConfig;
export type StorageKind = StorageConfig['kind'];

export const STORAGE_KINDS: readonly StorageKind[] = ['file', 'memory', 'jetstream'];

/** EVENTLOG_STORAGE and every backend's own variables, for --help and the docs. */
export const STORAGE_SETTINGS: readonly Setting[] = [
  {
    variable: 'EVENTLOG_STORAGE',
    default: 'file',
    meaning: 'file (durable, one process), memory, or jetstream (gateways over a NATS JetStream stream)',
  },
  ...FILE_STORAGE_SETTINGS,
  ...MEMORY_STORAGE_SETTINGS,
  ...JETSTREAM_STORAGE_SETTINGS,
];

/** Reads EVENTLOG_STORAGE, then the chosen backend's own variables; throws ConfigError naming the variable. */
export function readStorageConfig(env: Env): StorageConfig {
  const kind = readChoice<StorageKind>(env, 'EVENTLOG_STORAGE', 'file', STORAGE_KINDS);
  switch (kind) {
    case 'file':
      return readFileStorageConfig(env);
    case 'memory':
      return readMemoryStorageConfig(env);
    case 'jetstream':
      return readJetStreamStorageConfig(env);
    default:
      return assertNever(kind);
  }
}

/** The settings as they may be logged: secrets (NATS password, token) left out, only their kind kept. */
export function loggableStorageConfig(config: StorageConfig): object {
  if (config.kind !== 'jetstream') return config;
  return { ...config, credentials: { kind: config.credentials.kind } };
}

/** Compile-time exhaustiveness: a kind without a case fails to typecheck here. */
export function assertNever(value: never): never {
  throw new Error(`unknown storage kind: ${JSON.stringify(value)}`);
}

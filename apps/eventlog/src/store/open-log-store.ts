import type { Logger } from '@hello-es/process';
import { FileLogStore } from './file/file-log-store';
import { JetStreamLogStore } from './jetstream/jetstream-log-store';
import type { LogStore } from './log-store';
import { MemoryLogStore } from './memory/memory-log-store';
import { assertNever, type StorageConfig } from './storage-config';

/** Opens (recovering if need be) the configured backend. */
export async function openLogStore(config: StorageConfig, logger: Logger): Promise<LogStore> {
  switch (config.kind) {
    case 'file':
      return FileLogStore.open({ dir: config.dir, logger, verifyOnOpen: config.verifyOnStart, onTailDamage: config.onTailDamage });
    case 'memory':
      return new MemoryLogStore();
    case 'jetstream':
      return JetStreamLogStore.open({ config, logger });
    default:
      return assertNever(config);
  }
}

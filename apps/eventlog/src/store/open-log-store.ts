import type { Logger } from '@hello-es/process';
import { FileLogStore } from './file/file-log-store';
import { JetStreamLogStore } from './jetstream/jetstream-log-store';
import type { LogStore } from './log-store';
import { NO_OBSERVER, type LogStoreObserver } from './log-store-observer';
import { MemoryLogStore } from './memory/memory-log-store';
import { assertNever, type StorageConfig } from './storage-config';

/** Opens (recovering if need be) the configured backend; `observer` hears of its commits (the metrics). */
export async function openLogStore(config: StorageConfig, logger: Logger, observer: LogStoreObserver = NO_OBSERVER): Promise<LogStore> {
  switch (config.kind) {
    case 'file':
      return FileLogStore.open({ dir: config.dir, logger, verifyOnOpen: config.verifyOnStart, onTailDamage: config.onTailDamage, observer });
    case 'memory':
      return new MemoryLogStore(observer);
    case 'jetstream':
      return JetStreamLogStore.open({ config, logger, observer });
    default:
      return assertNever(config);
  }
}

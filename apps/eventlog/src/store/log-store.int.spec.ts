import pino from 'pino';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { describeLogStoreContract } from '../testing/log-store-contract';
import { FileLogStore } from './file/file-log-store';
import { MemoryLogStore } from './memory/memory-log-store';

const logger = pino({ level: 'silent' });

describeLogStoreContract('memory', async () => {
  const store = new MemoryLogStore();
  return { store, cleanup: () => store.close() };
});

// A tiny tail cache so reads exercise the file, not only the ring.
describeLogStoreContract('file', async () => {
  const dir = await makeTempDir('eventlog-store-');
  const store = await FileLogStore.open({ dir, logger, tailCacheEvents: 16 });
  return {
    store,
    cleanup: async () => {
      await store.close().catch(() => undefined);
      await removeTempDir(dir);
    },
  };
});

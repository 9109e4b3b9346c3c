/**
 * Measures the file store alone (no gRPC): single-value appends with 64 in
 * flight, each answered after its group's fdatasync.
 *
 *   npx tsx --tsconfig tsconfig.base.json apps/eventlog/scripts/measure-store.ts [appends]
 */
import pino from 'pino';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { FileLogStore } from '../src/store/file/file-log-store';

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 50_000);
  const dir = await makeTempDir('eventlog-store-measure-');
  const store = await FileLogStore.open({ dir, logger: pino({ level: 'silent' }) });
  try {
    let sent = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (sent < total) {
          sent += 1;
          await store.append({ values: [1n] });
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`file store alone, single-value appends, 64 in flight: ${Math.round(total / seconds)} appends/s`);
  } finally {
    await store.close();
    await removeTempDir(dir);
  }
}

void main();

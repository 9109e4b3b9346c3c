/**
 * The latency of one append at a time, in-process (no gRPC): the file store
 * against a bare positional write + fdatasync of one 32-byte record, so the
 * store's own share of the W1 tail can be told from the transport's.
 *
 *   npx tsx --tsconfig tsconfig.base.json apps/eventlog/scripts/measure-append-latency.ts [appends]
 */
import pino from 'pino';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { FileLogStore } from '../src/store/file/file-log-store';

async function timeEach(count: number, step: (index: number) => Promise<unknown>): Promise<number[]> {
  const millis: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = process.hrtime.bigint();
    await step(index);
    millis.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return millis.sort((a, b) => a - b);
}

function summary(name: string, sorted: readonly number[]): string {
  const at = (q: number): string => (sorted[Math.floor(q * (sorted.length - 1))] ?? NaN).toFixed(2);
  return `${name}: p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, p99.9 ${at(0.999)} ms, max ${at(1)} ms`;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 4_000);
  const dir = await makeTempDir('eventlog-latency-measure-');
  const store = await FileLogStore.open({ dir, logger: pino({ level: 'silent' }) });
  const raw = await open(join(dir, 'raw.bin'), 'w');
  try {
    const storeMillis = await timeEach(count, () => store.append({ values: [1n] }));
    const record = Buffer.alloc(32);
    const rawMillis = await timeEach(count, async (index) => {
      await raw.write(record, 0, record.length, index * record.length);
      await raw.datasync();
    });
    console.log(summary(`FileLogStore.append, ${count} single-value appends`, storeMillis));
    console.log(summary(`write + fdatasync of one record, ${count} times`, rawMillis));
  } finally {
    await raw.close();
    await store.close();
    await removeTempDir(dir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

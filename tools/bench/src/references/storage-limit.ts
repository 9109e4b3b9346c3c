import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import type { BenchContext } from '../context';
import { RunRecorder } from '../context';
import { F } from '../figures';
import { formatNumber } from '../report/format';
import { runScript } from './run-script';
import type { StorageLimitConfig, StorageLimitResult } from './storage-limit-script';

/**
 * The storage limit, measured by a bare script in its own process on the
 * same disk as the eventlog's data (the OS temp dir): the same 32-byte
 * records, 1 / 64 / 64,000 per O_DSYNC write (what 1 or 64 appends in flight can
 * share at best), then read back and decoded.
 */
export async function runStorageLimit(context: BenchContext, run: string): Promise<void> {
  const s = context.sizes;
  const recorder = new RunRecorder(context, Object.values(F.storage));
  context.progress.step(`${run} storage limit: bare fs/promises, O_DSYNC writes`);
  const dir = await makeTempDir('hello-es-bench-storage-');
  try {
    const groupRecords = s.window * s.batchValues;
    const config: StorageLimitConfig = {
      dir,
      single: Math.min(s.w1SingleAppends, 2_000),
      window: s.window,
      windowGroups: Math.max(10, Math.round(s.w1WindowAppends / s.window / 4)),
      batchGroupRecords: groupRecords,
      batchGroups: Math.max(2, Math.ceil(s.w2Events / groupRecords)),
    };
    const result = await runScript<StorageLimitResult>('storage-limit-script.ts', [JSON.stringify(config)], 300_000);
    recorder.value(F.storage.single, result.singleRate);
    recorder.value(F.storage.singleP99, result.singleP99Ms);
    recorder.value(F.storage.window, result.windowRate);
    recorder.value(F.storage.batch, result.batchRate);
    recorder.value(F.storage.read, result.readRate);
    context.progress.note(
      `write ${formatNumber(result.singleRate, 'events/s')} / ${formatNumber(result.windowRate, 'events/s')} / ${formatNumber(result.batchRate, 'events/s')} records/s (1 / ${s.window} / ${groupRecords} per durable write), read ${formatNumber(result.readRate, 'events/s')} records/s`,
    );
  } catch (error: unknown) {
    recorder.failRest(error);
  } finally {
    await removeTempDir(dir);
  }
}

// The storage limit, as a bare script run in its own process: append the
// eventlog's 32-byte records to a file opened with O_DSYNC, one durable write
// per group through fs/promises (as the eventlog does), then read them back
// and decode them.
//
//   tsx tools/bench/src/references/storage-limit-script.ts '{"dir":"/tmp/x","single":2000,"window":64,"windowGroups":500,"batchGroups":16,"batchGroupRecords":64000}'
// Prints one JSON object (StorageLimitResult) on stdout.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { percentile } from '../report/stats';
import { decodeRecords, encodeRecords, RECORD_BYTES } from './record-codec';

export interface StorageLimitConfig {
  readonly dir: string;
  /** Records written one per durable write. */
  readonly single: number;
  /** Records per group for the windowed case, and how many groups. */
  readonly window: number;
  readonly windowGroups: number;
  /** Records per group for the batched case, and how many groups. */
  readonly batchGroupRecords: number;
  readonly batchGroups: number;
}

export interface StorageLimitResult {
  readonly singleRate: number;
  readonly singleP99Ms: number;
  readonly windowRate: number;
  readonly batchRate: number;
  readonly readRate: number;
}

interface GroupRun {
  readonly rate: number;
  readonly latencies: Float64Array;
}

/** Writes `groups` groups of `perGroup` records, one O_DSYNC write each (write + fdatasync without O_DSYNC), one after the other. */
async function writeGroups(path: string, perGroup: number, groups: number): Promise<GroupRun> {
  const dsync = typeof constants.O_DSYNC === 'number' ? constants.O_DSYNC : 0;
  const file = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | dsync);
  const buffer = Buffer.alloc(perGroup * RECORD_BYTES);
  const latencies = new Float64Array(groups);
  try {
    const started = performance.now();
    for (let g = 0; g < groups; g++) {
      const groupStart = performance.now();
      encodeRecords(buffer, g * perGroup, perGroup, Date.now());
      await file.write(buffer, 0, buffer.length, g * buffer.length);
      if (dsync === 0) await file.datasync();
      latencies[g] = performance.now() - groupStart;
    }
    const elapsed = performance.now() - started;
    return { rate: (perGroup * groups * 1000) / elapsed, latencies };
  } finally {
    await file.close();
  }
}

/** Reads the file back in 4,096-record chunks (the eventlog's batch size) and decodes every record. */
async function readBack(path: string, records: number): Promise<number> {
  const file = await open(path, 'r');
  const chunkRecords = 4096;
  const buffer = Buffer.alloc(chunkRecords * RECORD_BYTES);
  try {
    const started = performance.now();
    let sum = 0n;
    for (let offset = 0; offset < records; offset += chunkRecords) {
      const count = Math.min(chunkRecords, records - offset);
      const { bytesRead } = await file.read(buffer, 0, count * RECORD_BYTES, offset * RECORD_BYTES);
      if (bytesRead !== count * RECORD_BYTES) throw new Error(`short read at record ${offset}`);
      sum += decodeRecords(buffer, offset, count);
    }
    const elapsed = performance.now() - started;
    if (sum > BigInt(records) * 3n) throw new Error('impossible sum');
    return (records * 1000) / elapsed;
  } finally {
    await file.close();
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as StorageLimitConfig;
  const single = await writeGroups(join(config.dir, 'single'), 1, config.single);
  const window = await writeGroups(join(config.dir, 'window'), config.window, config.windowGroups);
  const batchPath = join(config.dir, 'batch');
  const batch = await writeGroups(batchPath, config.batchGroupRecords, config.batchGroups);
  const readRate = await readBack(batchPath, config.batchGroupRecords * config.batchGroups);
  const result: StorageLimitResult = {
    singleRate: single.rate,
    singleP99Ms: percentile(single.latencies.sort(), 99),
    windowRate: window.rate,
    batchRate: batch.rate,
    readRate,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '@hello-es/process';
import { CorruptLog } from '../../errors';
import { readFully, writeFully, type FileLayer, type StoreFile } from './file-layer';
import { decodeHeader, encodeHeader, HEADER_BYTES, inspectRecord, RECORD_BYTES, recordPosition } from './record-format';

export interface OpenedEventsFile {
  readonly file: StoreFile;
  readonly path: string;
  readonly logId: string;
  readonly nextOffset: bigint;
  readonly created: boolean;
}

export interface OpenEventsFileOptions {
  readonly dir: string;
  readonly fileLayer: FileLayer;
  readonly logger: Logger;
  /** The most records one group write holds: only the last one can be torn. */
  readonly maxGroupRecords: number;
  /** "full" checks every record's checksum at start; "tail" only the last groups. */
  readonly verify: 'full' | 'tail';
  /** What to do with a damaged tail: cut it off into a side file (default) or refuse to start. */
  readonly onTailDamage?: TailDamagePolicy;
  /** Clock for the side file's name (tests). */
  readonly now?: () => Date;
}

/** EVENTLOG_ON_TAIL_DAMAGE. */
export type TailDamagePolicy = 'truncate' | 'refuse';

/**
 * Opens (or creates) DATA_DIR/eventlog/events.log and recovers it: a partial
 * record or an incomplete or damaged last group write at the tail is moved to
 * a side file and cut off (logged at error level; or, with onTailDamage
 * "refuse", CorruptLog and nothing changed); a damaged record before that
 * makes it throw CorruptLog naming the file and the offset.
 */
export async function openEventsFile(options: OpenEventsFileOptions): Promise<OpenedEventsFile> {
  const { dir, fileLayer, logger } = options;
  await fileLayer.mkdir(dir);
  const path = join(dir, 'events.log');
  // Durable writes: each group commit is one O_DSYNC write (see file-layer.ts).
  const file = await fileLayer.open(path, true, { durableWrites: true });
  try {
    const size = await file.size();
    if (size < HEADER_BYTES) {
      // A crash while creating the log: it holds no event yet.
      if (size > 0) logger.warn({ file: path, bytes: size }, 'incomplete header of a new log: recreating it');
      const logId = randomUUID();
      await file.truncate(0);
      await writeFully(file, encodeHeader(logId, Date.now()), 0);
      await file.datasync();
      await fileLayer.syncDirectory(dir);
      return { file, path, logId, nextOffset: 0n, created: true };
    }
    const header = Buffer.alloc(HEADER_BYTES);
    await readFully(file, header, 0);
    let logId: string;
    try {
      logId = decodeHeader(header);
    } catch (error: unknown) {
      throw new Error(`cannot open event log ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const stored = Math.floor((size - HEADER_BYTES) / RECORD_BYTES);
    const end = await findDurableEnd(file, path, stored, options.maxGroupRecords);
    if (size > recordPosition(end)) await cutOffTail(file, path, logId, { size, end, stored }, options);
    const verifyFrom = options.verify === 'full' ? 0 : Math.max(0, end - 2 * options.maxGroupRecords);
    await verifyRecords(file, path, verifyFrom, end);
    return { file, path, logId, nextOffset: BigInt(end), created: false };
  } catch (error: unknown) {
    await file.close();
    throw error;
  }
}

/**
 * Moves the bytes past the durable end to `events.log.tail-<time>` (with a
 * `.json` beside it saying which offsets they held), fsyncs both and the
 * folder, and only then truncates: recovery never deletes a byte (issue 10).
 * With `refuse` it changes nothing and throws CorruptLog, so a person decides.
 */
async function cutOffTail(
  file: StoreFile,
  path: string,
  logId: string,
  { size, end, stored }: { size: number; end: number; stored: number },
  options: OpenEventsFileOptions,
): Promise<void> {
  const from = recordPosition(end);
  const removed = Buffer.allocUnsafeSlow(size - from);
  await readFully(file, removed, from);
  const damage = classifyTail(removed, end);
  const facts = {
    file: path,
    kind: damage.kind,
    records: stored - end,
    partialRecordBytes: (size - HEADER_BYTES) % RECORD_BYTES,
    firstOffset: end,
    lastOffset: stored - 1,
    bytes: removed.length,
    fromByte: from,
  };
  if (options.onTailDamage === 'refuse') {
    options.logger.error(facts, `damaged tail and EVENTLOG_ON_TAIL_DAMAGE=refuse: not starting; ${damage.meaning}`);
    throw new CorruptLog(path, BigInt(end), `damaged tail of ${removed.length} bytes (${damage.kind}); EVENTLOG_ON_TAIL_DAMAGE=refuse`);
  }
  const stamp = (options.now ?? (() => new Date()))().toISOString().replace(/[-:]/g, '').replace('.', '');
  const sidePath = `${path}.tail-${stamp}`;
  await writeSideFile(options.fileLayer, sidePath, removed);
  const description = { ...facts, logId, recordBytes: RECORD_BYTES, meaning: damage.meaning };
  await writeSideFile(options.fileLayer, `${sidePath}.json`, Buffer.from(`${JSON.stringify(description, null, 2)}\n`));
  await options.fileLayer.syncDirectory(options.dir);
  options.logger.error(
    { ...facts, sideFile: sidePath },
    `cut off a damaged tail of ${stored - end} records (offsets ${end}..${stored - 1}, ${removed.length} bytes): ${damage.meaning}; ` +
      `the bytes are kept in ${sidePath} (see docs/eventlog.md, "Damaged tail")`,
  );
  await file.truncate(from);
  await file.datasync();
}

export type TailDamageKind = 'torn-write' | 'bad-checksum';

/**
 * A short or all-zero tail, or whole records of an unfinished group write,
 * is a write that stopped part-way: never fdatasync'ed, so never
 * acknowledged. A full-size, non-zero record with a bad checksum may be a
 * torn write whose pages reached the disk out of order, or a record damaged
 * after its ack: the message must not pretend to know which.
 */
export function classifyTail(removed: Buffer, firstOffset: number): { kind: TailDamageKind; meaning: string } {
  const whole = Math.floor(removed.length / RECORD_BYTES);
  for (let index = 0; index < whole; index += 1) {
    const at = index * RECORD_BYTES;
    const zero = removed.subarray(at, at + RECORD_BYTES).every((byte) => byte === 0);
    if (!zero && !inspectRecord(removed, at, firstOffset + index).valid) {
      return {
        kind: 'bad-checksum',
        meaning:
          'a full-size record has a bad checksum: either a torn write (never acknowledged) or records damaged on disk ' +
          'after they were acknowledged, in which case acknowledged events and their idempotency keys are gone from the log',
      };
    }
  }
  return {
    kind: 'torn-write',
    meaning: 'a torn write (short or all-zero tail, or an unfinished group write): a crash before its fdatasync, never acknowledged',
  };
}

async function writeSideFile(fileLayer: FileLayer, path: string, bytes: Buffer): Promise<void> {
  const side = await fileLayer.open(path, true);
  try {
    await side.truncate(0);
    await writeFully(side, bytes, 0);
    await side.datasync();
  } finally {
    await side.close();
  }
}

/**
 * The number of records up to the end of the last complete group write. Only
 * the last write can be torn (writes are serialised and each is fdatasync'ed
 * before the next), so recovery looks at the last two groups at most.
 */
async function findDurableEnd(file: StoreFile, path: string, stored: number, maxGroup: number): Promise<number> {
  const windowStart = Math.max(0, stored - 2 * maxGroup - 2);
  const buffer = Buffer.allocUnsafeSlow((stored - windowStart) * RECORD_BYTES);
  await readFully(file, buffer, recordPosition(windowStart));
  const isGroupEnd = (index: number): boolean => {
    const record = inspectRecord(buffer, (index - windowStart) * RECORD_BYTES, index);
    return record.valid && record.groupRemaining === 0 && record.appendRemaining === 0;
  };
  const previousGroupEnd = (before: number): number => {
    for (let index = before - 1; index >= windowStart; index -= 1) if (isGroupEnd(index)) return index;
    return windowStart === 0 ? -1 : -2;
  };
  const groupIsWhole = (from: number, to: number): boolean => {
    for (let index = from; index <= to; index += 1) {
      const record = inspectRecord(buffer, (index - windowStart) * RECORD_BYTES, index);
      if (!record.valid || record.groupRemaining !== to - index) return false;
    }
    return true;
  };
  const lastEnd = previousGroupEnd(stored);
  if (lastEnd === -1) return 0;
  if (lastEnd === -2 || stored - 1 - lastEnd > maxGroup) {
    throw new CorruptLog(path, BigInt(Math.max(lastEnd, windowStart)), 'no complete group write near the tail');
  }
  const earlierEnd = previousGroupEnd(lastEnd);
  if (earlierEnd === -2) throw new CorruptLog(path, BigInt(windowStart), 'damaged group write near the tail');
  if (groupIsWhole(earlierEnd + 1, lastEnd)) return lastEnd + 1;
  // The last group's pages reached the disk out of order: a torn write.
  if (lastEnd === stored - 1) return earlierEnd + 1;
  throw new CorruptLog(path, BigInt(earlierEnd + 1), 'damaged record in a complete group write');
}

async function verifyRecords(file: StoreFile, path: string, from: number, to: number): Promise<void> {
  const chunkRecords = 32_768;
  const buffer = Buffer.allocUnsafeSlow(chunkRecords * RECORD_BYTES);
  for (let start = from; start < to; start += chunkRecords) {
    const count = Math.min(chunkRecords, to - start);
    await readFully(file, buffer.subarray(0, count * RECORD_BYTES), recordPosition(start));
    for (let index = 0; index < count; index += 1) {
      if (!inspectRecord(buffer, index * RECORD_BYTES, start + index).valid) {
        throw new CorruptLog(path, BigInt(start + index), 'checksum mismatch');
      }
    }
  }
}

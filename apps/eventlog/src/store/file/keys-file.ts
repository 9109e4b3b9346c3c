import { join } from 'node:path';
import type { Logger } from '@hello-es/process';
import { CorruptLog } from '../../errors';
import type { KeyedAppend } from '../dedupe-window';
import { crc32Range } from './crc32';
import { readFully, writeFully, type FileLayer, type StoreFile } from './file-layer';

/**
 * DATA_DIR/eventlog/keys.log: the idempotency keys of keyed appends, so the
 * dedupe window survives restarts. Entries are written and fdatasync'ed
 * before the events they describe, so a durable keyed append always has its
 * key on disk; an entry whose events never became durable (offset at or
 * beyond the head) is dropped at start.
 *
 * File: "HESKEYS1" | u32 format version | 20 zero bytes | entries.
 * Entry: u32 body length | body | u32 crc32 of length + body, where body is
 * u64 first offset | u32 count | 16-byte values hash | key (UTF-8).
 */
const MAGIC = 'HESKEYS1';
const HEADER_BYTES = 32;
const FIXED_BODY = 8 + 4 + 16;

export function encodeKeyEntries(entries: readonly KeyedAppend[]): Buffer {
  const parts = entries.map((entry) => {
    const key = Buffer.from(entry.key, 'utf8');
    const bodyLength = FIXED_BODY + key.length;
    const part = Buffer.alloc(4 + bodyLength + 4);
    part.writeUInt32LE(bodyLength, 0);
    part.writeBigUInt64LE(entry.firstOffset, 4);
    part.writeUInt32LE(entry.count, 12);
    Buffer.from(entry.valuesHash, 'hex').copy(part, 16);
    key.copy(part, 32);
    part.writeUInt32LE(crc32Range(part, 0, 4 + bodyLength), 4 + bodyLength);
    return part;
  });
  return Buffer.concat(parts);
}

function header(): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES);
  bytes.write(MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(1, 8);
  return bytes;
}

export interface OpenedKeysFile {
  readonly file: StoreFile;
  readonly path: string;
  /** Durable entries whose events are durable, oldest first. */
  readonly entries: KeyedAppend[];
  /** Bytes in use; the next entry goes here. */
  readonly size: number;
}

/** Opens or creates the keys file, dropping entries at or beyond `nextOffset` and a torn last entry. */
export async function openKeysFile(
  dir: string,
  fileLayer: FileLayer,
  nextOffset: bigint,
  logger: Logger,
): Promise<OpenedKeysFile> {
  const path = join(dir, 'keys.log');
  // Durable writes: a keyed group's key entries cost one pool trip (see file-layer.ts).
  const file = await fileLayer.open(path, true, { durableWrites: true });
  try {
    const size = await file.size();
    if (size < HEADER_BYTES) {
      await file.truncate(0);
      await writeFully(file, header(), 0);
      await file.datasync();
      await fileLayer.syncDirectory(dir);
      return { file, path, entries: [], size: HEADER_BYTES };
    }
    const bytes = Buffer.allocUnsafeSlow(size);
    await readFully(file, bytes, 0);
    if (bytes.toString('latin1', 0, 8) !== MAGIC) throw new Error(`cannot open ${path}: not a keys file (bad magic)`);
    const { entries, end } = parseEntries(bytes, path, nextOffset);
    if (end < size) {
      logger.warn({ file: path, droppedBytes: size - end }, 'dropping idempotency keys of appends beyond the recovered head (never durable, or cut off with a damaged tail)');
      await file.truncate(end);
      await file.datasync();
    }
    return { file, path, entries, size: end };
  } catch (error: unknown) {
    await file.close();
    throw error;
  }
}

function parseEntries(bytes: Buffer, path: string, nextOffset: bigint): { entries: KeyedAppend[]; end: number } {
  const entries: KeyedAppend[] = [];
  let at = HEADER_BYTES;
  while (at + 4 <= bytes.length) {
    const bodyLength = bytes.readUInt32LE(at);
    const entryEnd = at + 4 + bodyLength + 4;
    if (bodyLength < FIXED_BODY || entryEnd > bytes.length) break;
    if (bytes.readUInt32LE(at + 4 + bodyLength) !== crc32Range(bytes, at, 4 + bodyLength)) {
      // Only the last write can be torn; damage with intact entries after it is corruption.
      if (entryEnd < bytes.length) throw new CorruptLog(path, BigInt(at), 'checksum mismatch in the idempotency keys (byte position)');
      break;
    }
    const firstOffset = bytes.readBigUInt64LE(at + 4);
    const count = bytes.readUInt32LE(at + 12);
    if (firstOffset + BigInt(count) > nextOffset) break;
    entries.push({
      firstOffset,
      count,
      valuesHash: bytes.toString('hex', at + 16, at + 32),
      key: bytes.toString('utf8', at + 32, at + 4 + bodyLength),
    });
    at = entryEnd;
  }
  return { entries, end: at };
}

/** Rewrites the keys file with only `entries` (the dedupe window), atomically by rename. */
export async function compactKeysFile(
  dir: string,
  fileLayer: FileLayer,
  entries: readonly KeyedAppend[],
): Promise<{ file: StoreFile; size: number }> {
  const path = join(dir, 'keys.log');
  const temporary = join(dir, 'keys.log.compacting');
  const file = await fileLayer.open(temporary, true, { durableWrites: true });
  const content = Buffer.concat([header(), encodeKeyEntries(entries)]);
  try {
    await file.truncate(0);
    await writeFully(file, content, 0);
    await file.datasync();
    await fileLayer.rename(temporary, path);
    await fileLayer.syncDirectory(dir);
  } catch (error: unknown) {
    await file.close();
    throw error;
  }
  return { file, size: content.length };
}

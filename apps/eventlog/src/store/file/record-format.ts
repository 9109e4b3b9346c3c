import { crc32Range } from './crc32';
import type { EventBatch } from '../event-batch';
import type { Int64Values } from '../log-store';

/**
 * The events file: a 64-byte header, then fixed-width 32-byte records, so
 * the record of offset N starts at HEADER_BYTES + N * RECORD_BYTES.
 *
 * Header: magic "HESEVLOG" | u32 format version | u32 record size |
 *         16-byte log id | f64 creation time (ms) | zeros | u32 crc32 of bytes 0..60.
 * Record: i64 value | i64 append time (ms) | u32 records left in its append |
 *         u32 records left in its group write | u32 offset (low 32 bits) |
 *         u32 crc32 of bytes 0..28. All little-endian.
 */
export const MAGIC = 'HESEVLOG';
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 64;
export const RECORD_BYTES = 32;

export function encodeHeader(logId: string, createdMs: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(RECORD_BYTES, 12);
  Buffer.from(logId.replace(/-/g, ''), 'hex').copy(header, 16);
  header.writeDoubleLE(createdMs, 32);
  header.writeUInt32LE(crc32Range(header, 0, 60), 60);
  return header;
}

/** The log id stored in a header; throws a message naming what is wrong. */
export function decodeHeader(header: Buffer): string {
  if (header.length < HEADER_BYTES) throw new Error('header is incomplete');
  if (header.toString('latin1', 0, 8) !== MAGIC) throw new Error('not an event log file (bad magic)');
  if (header.readUInt32LE(60) !== crc32Range(header, 0, 60)) throw new Error('header checksum mismatch');
  const version = header.readUInt32LE(8);
  if (version !== FORMAT_VERSION) throw new Error(`unsupported format version ${version} (this build reads ${FORMAT_VERSION})`);
  if (header.readUInt32LE(12) !== RECORD_BYTES) throw new Error('unexpected record size');
  const hex = header.toString('hex', 16, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function recordPosition(offset: bigint | number): number {
  return HEADER_BYTES + Number(offset) * RECORD_BYTES;
}

/**
 * Encodes whole appends as one group write starting at `firstOffset`,
 * word by word into a fresh (so aligned) buffer: no bigint per record.
 */
export function encodeGroup(appends: readonly Int64Values[], firstOffset: bigint, timeMs: number): Buffer {
  const total = appends.reduce((sum, values) => sum + values.length, 0);
  const buffer = Buffer.from(new ArrayBuffer(total * RECORD_BYTES));
  const words = new Int32Array(buffer.buffer, 0, total * (RECORD_BYTES / 4));
  const timeLow = timeMs % 4_294_967_296;
  const timeHigh = Math.floor(timeMs / 4_294_967_296);
  let index = 0;
  let offset = Number(firstOffset);
  for (const list of appends) {
    const values = list instanceof BigInt64Array ? list : BigInt64Array.from(list);
    const valueWords = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    for (let position = 0; position < values.length; position += 1) {
      const at = index * (RECORD_BYTES / 4);
      words[at] = valueWords[position * 2] as number;
      words[at + 1] = valueWords[position * 2 + 1] as number;
      words[at + 2] = timeLow;
      words[at + 3] = timeHigh;
      words[at + 4] = values.length - 1 - position;
      words[at + 5] = total - 1 - index;
      words[at + 6] = offset % 4_294_967_296;
      words[at + 7] = crc32Range(buffer, at * 4, 28);
      index += 1;
      offset += 1;
    }
  }
  return buffer;
}

export interface RecordView {
  readonly valid: boolean;
  readonly appendRemaining: number;
  readonly groupRemaining: number;
}

/** Checks the record at `at` in `buffer`, which should hold offset `offset`. */
export function inspectRecord(buffer: Buffer, at: number, offset: number): RecordView {
  const valid =
    buffer.readUInt32LE(at + 28) === crc32Range(buffer, at, 28) &&
    buffer.readUInt32LE(at + 24) === offset % 2 ** 32;
  return { valid, appendRemaining: buffer.readUInt32LE(at + 16), groupRemaining: buffer.readUInt32LE(at + 20) };
}

/**
 * Copies `batch.count` records from `records` (4-byte aligned) into the batch
 * columns without creating a bigint per event. Returns the index of the first
 * record whose stored offset does not match, or -1.
 */
export function decodeRecordsInto(records: Buffer, batch: EventBatch): number {
  const source = new Int32Array(records.buffer, records.byteOffset, (batch.count * RECORD_BYTES) / 4);
  const values = new Int32Array(batch.values.buffer, batch.values.byteOffset, batch.count * 2);
  const times = batch.appendTimesMs;
  const first = Number(batch.firstOffset);
  for (let index = 0; index < batch.count; index += 1) {
    const at = index * 8;
    values[index * 2] = source[at] as number;
    values[index * 2 + 1] = source[at + 1] as number;
    times[index] = ((source[at + 2] as number) >>> 0) + (source[at + 3] as number) * 4_294_967_296;
    if (((source[at + 6] as number) >>> 0) !== (first + index) % 4_294_967_296) return index;
  }
  return -1;
}

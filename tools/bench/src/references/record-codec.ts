import { crc32 } from 'node:zlib';

/**
 * The eventlog's file store record, reproduced for the storage limit: 32
 * bytes, i64 value | i64 append time (ms) | u32 left in append | u32 left in
 * group | u32 offset (low 32 bits) | u32 crc32 of bytes 0..28, little-endian
 * (apps/eventlog/src/store/file/record-format.ts).
 */
export const RECORD_BYTES = 32;

/** Encodes `count` records for offsets from `firstOffset` into `buffer` (values cycle -3..3). */
export function encodeRecords(buffer: Buffer, firstOffset: number, count: number, timeMs: number): void {
  const time = BigInt(timeMs);
  for (let i = 0; i < count; i++) {
    const at = i * RECORD_BYTES;
    const offset = firstOffset + i;
    buffer.writeBigInt64LE(BigInt((offset % 7) - 3), at);
    buffer.writeBigInt64LE(time, at + 8);
    buffer.writeUInt32LE(0, at + 16);
    buffer.writeUInt32LE(count - 1 - i, at + 20);
    buffer.writeUInt32LE(offset % 2 ** 32, at + 24);
    buffer.writeUInt32LE(crc32(buffer.subarray(at, at + 28)), at + 28);
  }
}

/**
 * Checks and decodes `count` records from `buffer`, adding their values to
 * the returned sum; throws on a checksum or offset mismatch.
 */
export function decodeRecords(buffer: Buffer, firstOffset: number, count: number): bigint {
  let sum = 0n;
  for (let i = 0; i < count; i++) {
    const at = i * RECORD_BYTES;
    if (buffer.readUInt32LE(at + 28) !== crc32(buffer.subarray(at, at + 28))) throw new Error(`bad checksum at record ${firstOffset + i}`);
    if (buffer.readUInt32LE(at + 24) !== (firstOffset + i) % 2 ** 32) throw new Error(`wrong offset at record ${firstOffset + i}`);
    sum += buffer.readBigInt64LE(at);
  }
  return sum;
}

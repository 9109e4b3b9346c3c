import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { allocateBatch } from '../event-batch';
import { decodeRecordsInto, encodeGroup, inspectRecord, RECORD_BYTES } from './record-format';

/** The record layout written field by field with bigint and zlib, as the format documents it. */
function referenceGroup(appends: readonly (readonly bigint[])[], firstOffset: number, timeMs: number): Buffer {
  const total = appends.reduce((sum, values) => sum + values.length, 0);
  const buffer = Buffer.alloc(total * RECORD_BYTES);
  let index = 0;
  for (const values of appends) {
    values.forEach((value, position) => {
      const at = index * RECORD_BYTES;
      buffer.writeBigInt64LE(value, at);
      buffer.writeBigInt64LE(BigInt(timeMs), at + 8);
      buffer.writeUInt32LE(values.length - 1 - position, at + 16);
      buffer.writeUInt32LE(total - 1 - index, at + 20);
      buffer.writeUInt32LE((firstOffset + index) % 2 ** 32, at + 24);
      buffer.writeUInt32LE(crc32(buffer.subarray(at, at + 28)), at + 28);
      index += 1;
    });
  }
  return buffer;
}

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const appends = fc.array(fc.array(fc.oneof(int64, fc.constantFrom(0n, -1n, 2n ** 63n - 1n, -(2n ** 63n))), { minLength: 1, maxLength: 8 }), {
  minLength: 1,
  maxLength: 5,
});
const firstOffset = fc.oneof(fc.nat({ max: 1_000 }), fc.constantFrom(2 ** 32 - 3, 2 ** 40));
const timeMs = fc.oneof(fc.constant(Date.UTC(2026, 10, 26)), fc.nat({ max: 2 ** 52 }));

describe('encodeGroup', () => {
  it('writes the documented records, byte for byte, from lists and from value columns', () => {
    fc.assert(
      fc.property(appends, firstOffset, timeMs, (lists, first, time) => {
        const expected = referenceGroup(lists, first, time);
        expect(encodeGroup(lists, BigInt(first), time).equals(expected)).toBe(true);
        const columns = lists.map((values) => BigInt64Array.from(values));
        expect(encodeGroup(columns, BigInt(first), time).equals(expected)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('writes records that pass inspection and decode back to their values and time', () => {
    const values = [5n, -(2n ** 63n), 2n ** 63n - 1n];
    const records = encodeGroup([BigInt64Array.from(values.slice(0, 2)), values.slice(2)], 7n, 1_700_000_000_123);
    expect([0, 1, 2].map((index) => inspectRecord(records, index * RECORD_BYTES, 7 + index))).toEqual([
      { valid: true, appendRemaining: 1, groupRemaining: 2 },
      { valid: true, appendRemaining: 0, groupRemaining: 1 },
      { valid: true, appendRemaining: 0, groupRemaining: 0 },
    ]);
    const batch = allocateBatch(7n, 3);
    expect(decodeRecordsInto(records, batch)).toBe(-1);
    expect([...batch.values]).toEqual(values);
    expect([...batch.appendTimesMs]).toEqual([1_700_000_000_123, 1_700_000_000_123, 1_700_000_000_123]);
    records[3] = (records[3] as number) ^ 1;
    expect(inspectRecord(records, 0, 7).valid).toBe(false);
  });
});

import { decodeRecords, encodeRecords, RECORD_BYTES } from './record-codec';

describe('record codec', () => {
  it('writes 32-byte records that decode to the -3..3 cycle', () => {
    const buffer = Buffer.alloc(10 * RECORD_BYTES);
    encodeRecords(buffer, 70, 10, 1_700_000_000_000);
    expect(buffer.readBigInt64LE(0)).toBe(-3n);
    expect(buffer.readUInt32LE(24)).toBe(70);
    expect(decodeRecords(buffer, 70, 10)).toBe(-3n - 2n - 1n + 0n + 1n + 2n + 3n - 3n - 2n - 1n);
  });

  it('detects a flipped bit and a record at the wrong offset', () => {
    const buffer = Buffer.alloc(2 * RECORD_BYTES);
    encodeRecords(buffer, 0, 2, 0);
    expect(() => decodeRecords(buffer, 1, 2)).toThrow(/wrong offset at record 1/);
    buffer[RECORD_BYTES + 3] = (buffer[RECORD_BYTES + 3] ?? 0) ^ 1;
    expect(() => decodeRecords(buffer, 0, 2)).toThrow(/bad checksum at record 1/);
  });
});

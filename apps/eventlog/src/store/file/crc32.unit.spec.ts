import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { crc32Range } from './crc32';

describe('crc32Range', () => {
  it('equals zlib crc32 of the same range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const at = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const length = (bytes.length - at === 0 ? 0 : b % (bytes.length - at + 1));
        expect(crc32Range(bytes, at, length)).toBe(crc32(bytes.subarray(at, at + length)));
      }),
      { numRuns: 1000 },
    );
    expect(crc32Range(Buffer.from('123456789'), 0, 9)).toBe(0xcbf43926);
  });
});

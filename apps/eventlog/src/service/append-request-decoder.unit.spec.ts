import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { AppendRequest } from '@hello-es/contracts';
import fc from 'fast-check';
import { decodeAppendRequest } from './append-request-decoder';

type Outcome = { readonly values: bigint[]; readonly expectedNextOffset: bigint | undefined; readonly idempotencyKey: string } | 'throws';

function generated(bytes: Uint8Array): Outcome {
  try {
    const request = AppendRequest.decode(bytes);
    return { values: request.values, expectedNextOffset: request.expectedNextOffset, idempotencyKey: request.idempotencyKey };
  } catch {
    return 'throws';
  }
}

function ours(bytes: Uint8Array): Outcome {
  try {
    const request = decodeAppendRequest(bytes);
    return { values: [...request.values], expectedNextOffset: request.expectedNextOffset, idempotencyKey: request.idempotencyKey };
  } catch {
    return 'throws';
  }
}

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const extremes = [0n, 1n, -1n, 63n, -64n, 64n, -65n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 32n, 2n ** 63n - 1n, -(2n ** 63n)];
const request = fc.record({
  values: fc.array(fc.oneof(int64, fc.constantFrom(...extremes)), { maxLength: 50 }),
  expectedNextOffset: fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { nil: undefined }),
  idempotencyKey: fc.string({ maxLength: 20 }),
});

describe('decodeAppendRequest', () => {
  it('decodes what the generated encoder writes exactly as the generated decoder does, int64 extremes included', () => {
    fc.assert(
      fc.property(request, (message) => {
        const bytes = AppendRequest.encode(message).finish();
        expect(ours(bytes)).toEqual(generated(bytes));
        expect(ours(bytes)).toEqual(message);
      }),
      { numRuns: 500 },
    );
    const bytes = AppendRequest.encode({ values: extremes, idempotencyKey: '' }).finish();
    expect([...decodeAppendRequest(bytes).values]).toEqual(extremes);
  });

  it('accepts unpacked values, several packed runs, unknown fields and repeated scalars like the generated decoder', () => {
    const writer = new BinaryWriter();
    writer.uint32(8).sint64(-5n).uint32(8).sint64(2n ** 63n - 1n);
    writer.uint32(10).fork().sint64(7n).sint64(-(2n ** 63n)).join();
    writer.uint32(16).uint64(3n).uint32(16).uint64(9n);
    writer.uint32(26).string('first').uint32(26).string('second');
    writer.uint32(40).uint64(77n).uint32(50).bytes(new Uint8Array([1, 2, 3])).uint32(61).fixed32(4).uint32(33).fixed64(5n);
    writer.uint32(8).sint64(1n);
    const bytes = writer.finish();
    expect(ours(bytes)).toEqual(generated(bytes));
    expect(ours(bytes)).toEqual({ values: [-5n, 2n ** 63n - 1n, 7n, -(2n ** 63n), 1n], expectedNextOffset: 9n, idempotencyKey: 'second' });
  });

  it('stops at a zero tag or an end-group tag like the generated decoder', () => {
    for (const stop of [0, 12]) {
      const bytes = new BinaryWriter().uint32(8).sint64(4n).uint32(stop).uint32(8).sint64(5n).finish();
      expect(ours(bytes)).toEqual(generated(bytes));
      expect(ours(bytes)).toEqual({ values: [4n], expectedNextOffset: undefined, idempotencyKey: '' });
    }
  });

  it('throws on every truncation the generated decoder throws on, and agrees on the others', () => {
    fc.assert(
      fc.property(request, (message) => {
        const bytes = AppendRequest.encode(message).finish();
        for (let length = 0; length < bytes.length; length += 1) {
          expect(ours(bytes.subarray(0, length))).toEqual(generated(bytes.subarray(0, length)));
        }
      }),
      { numRuns: 100 },
    );
    const packed = AppendRequest.encode({ values: [2n ** 62n, 1n], idempotencyKey: '' }).finish();
    expect(ours(packed.subarray(0, packed.length - 3))).toBe('throws');
  });

  it('refuses an over-long varint and a packed run past the end like the generated decoder', () => {
    const overLong = new Uint8Array([8, ...new Array<number>(10).fill(0xff), 1]);
    const pastEnd = new Uint8Array([10, 5, 2, 4]);
    const badWireType = new Uint8Array([8, 2, 15]);
    for (const bytes of [overLong, pastEnd, badWireType]) {
      expect(generated(bytes)).toBe('throws');
      expect(ours(bytes)).toBe('throws');
    }
  });

  it('agrees with the generated decoder on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        expect(ours(bytes)).toEqual(generated(bytes));
      }),
      { numRuns: 3000 },
    );
  });
});

import fc from 'fast-check';
import { encodeAppendStreamRequest } from './append-stream-wire';
import { AppendStreamRequest } from './generated/eventlog/v1/eventlog.pb';

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

describe("the appender's request encoder", () => {
  it('writes exactly the bytes of the generated encoder', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.array(int64, { maxLength: 300 }),
        fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { nil: undefined }),
        fc.string({ maxLength: 200, unit: 'grapheme' }),
        (requestId, values, expectedNextOffset, idempotencyKey) => {
          const ours = encodeAppendStreamRequest(requestId, values, expectedNextOffset, idempotencyKey);
          const generated = AppendStreamRequest.encode({ requestId: BigInt(requestId), append: { values, expectedNextOffset, idempotencyKey } }).finish();
          expect(ours).toEqual(Buffer.from(generated));
        },
      ),
    );
  });

  it('refuses a value outside int64 and an offset outside uint64', () => {
    expect(() => encodeAppendStreamRequest(1, [2n ** 63n], undefined, '')).toThrow(RangeError);
    expect(() => encodeAppendStreamRequest(1, [-(2n ** 63n) - 1n], undefined, '')).toThrow(RangeError);
    expect(() => encodeAppendStreamRequest(1, [1n], -1n, '')).toThrow(RangeError);
    expect(() => encodeAppendStreamRequest(1, [1n], 2n ** 64n, '')).toThrow(RangeError);
  });
});

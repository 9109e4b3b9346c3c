import { AppendRequest, AppendStreamRequest, AppendStreamResponse } from '@hello-es/contracts';
import fc from 'fast-check';
import { decodeAppendStreamRequest, encodeAppendedResponse, encodeErrorResponse } from './append-stream-codec';

const UINT64_MAX = 2n ** 64n - 1n;
const uint64 = fc.bigInt({ min: 0n, max: UINT64_MAX });

describe('the AppendStream codec', () => {
  it('decodes requests as the generated decoder does', () => {
    fc.assert(
      fc.property(
        uint64,
        fc.option(fc.record({ values: fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 20 }), key: fc.string({ maxLength: 10 }) })),
        (requestId, append) => {
          const message: AppendStreamRequest = {
            requestId,
            append: append === null ? undefined : { values: append.values, idempotencyKey: append.key, expectedNextOffset: undefined },
          };
          const bytes = AppendStreamRequest.encode(message).finish();
          const decoded = decodeAppendStreamRequest(bytes);
          const generated = AppendStreamRequest.decode(bytes);
          expect(decoded.requestId).toBe(generated.requestId);
          expect(decoded.malformed).toBeUndefined();
          expect([...(decoded.append?.values ?? [])]).toEqual(generated.append?.values ?? []);
          expect(decoded.append?.idempotencyKey).toBe(generated.append?.idempotencyKey ?? '');
        },
      ),
    );
  });

  it('takes the last append field given twice, as the generated decoder does', () => {
    const first = AppendRequest.encode({ values: [1n, 2n], idempotencyKey: 'a' }).finish();
    const second = AppendRequest.encode({ values: [3n], idempotencyKey: '', expectedNextOffset: 9n }).finish();
    const bytes = Buffer.concat([Buffer.from([0x08, 0x05, 0x12, first.length]), first, Buffer.from([0x12, second.length]), second]);
    const decoded = decodeAppendStreamRequest(bytes);
    const generated = AppendStreamRequest.decode(bytes).append;
    expect(generated?.values).toEqual([3n]);
    expect([...(decoded.append?.values ?? [])]).toEqual(generated?.values);
    expect(decoded.append?.expectedNextOffset).toBe(generated?.expectedNextOffset);
    expect(decoded.append?.idempotencyKey).toBe(generated?.idempotencyKey);
  });

  it('reports damage after the request_id as malformed for that id, and throws when no id was read', () => {
    expect(decodeAppendStreamRequest(Buffer.from([0x08, 0x07, 0x12, 0x09, 0x08]))).toMatchObject({ requestId: 7n, append: undefined, malformed: expect.any(String) });
    expect(decodeAppendStreamRequest(Buffer.from([0x08, 0x07, 0x12, 0x02, 0x08, 0xff]))).toMatchObject({ requestId: 7n, malformed: expect.any(String) });
    expect(() => decodeAppendStreamRequest(Buffer.from([0x0f, 0x01]))).toThrow();
    expect(() => decodeAppendStreamRequest(Buffer.from([0x12, 0x09, 0x08]))).toThrow();
    // An empty message is request 0 with no append (validation then refuses its empty values).
    expect(decodeAppendStreamRequest(Buffer.alloc(0))).toMatchObject({ requestId: 0n, malformed: undefined });
  });

  it('encodes responses the generated decoder reads back exactly', () => {
    fc.assert(
      fc.property(uint64, uint64, uint64, fc.boolean(), (requestId, firstOffset, nextOffset, duplicate) => {
        const decoded = AppendStreamResponse.decode(encodeAppendedResponse(requestId, { firstOffset, nextOffset, duplicate }));
        expect(decoded).toEqual({ requestId, result: { $case: 'appended', value: { firstOffset, nextOffset, duplicate } } });
        expect(Buffer.from(AppendStreamResponse.encode(decoded).finish())).toEqual(encodeAppendedResponse(requestId, { firstOffset, nextOffset, duplicate }));
      }),
    );
    fc.assert(
      fc.property(uint64, fc.integer({ min: 0, max: 16 }), fc.string({ maxLength: 300, unit: 'grapheme' }), (requestId, code, message) => {
        const bytes = encodeErrorResponse(requestId, code, message);
        expect(AppendStreamResponse.decode(bytes)).toEqual({ requestId, result: { $case: 'error', value: { code, message } } });
        expect(bytes).toEqual(Buffer.from(AppendStreamResponse.encode(AppendStreamResponse.decode(bytes)).finish()));
      }),
    );
  });
});

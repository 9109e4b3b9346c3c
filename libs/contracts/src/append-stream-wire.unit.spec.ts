import fc from 'fast-check';
import { encodeAppendBatch, encodeAppendRequest, encodeAppendStreamRequest } from './append-stream-wire';
import { decodeAppendStreamResponse } from './append-stream-response-wire';
import { AppendRequest, AppendStreamRequest, AppendStreamResponse } from './generated/eventlog/v1/eventlog.pb';

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
          const generated = AppendStreamRequest.encode({ requestId: BigInt(requestId), append: { values, expectedNextOffset, idempotencyKey }, appends: [] }).finish();
          expect(ours).toEqual(Buffer.from(generated));
        },
      ),
    );
  });

  it('writes a batch exactly as the generated encoder does, from the appends\' single encodings', () => {
    const append = fc.record({
      requestId: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
      values: fc.array(int64, { maxLength: 40 }),
      expectedNextOffset: fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { nil: undefined }),
      idempotencyKey: fc.string({ maxLength: 20 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.array(append, { minLength: 1, maxLength: 20 }), (requestId, appends) => {
        const singles = appends.map((a) => ({ requestId: a.requestId, bytes: encodeAppendStreamRequest(a.requestId, a.values, a.expectedNextOffset, a.idempotencyKey) }));
        const generated = AppendStreamRequest.encode({
          requestId: BigInt(requestId),
          append: undefined,
          appends: appends.map((a) => ({ values: a.values, expectedNextOffset: a.expectedNextOffset, idempotencyKey: a.idempotencyKey })),
        }).finish();
        expect(encodeAppendBatch(requestId, singles)).toEqual(Buffer.from(generated));
      }),
    );
  });

  it('writes a unary AppendRequest exactly as the generated encoder does', () => {
    fc.assert(
      fc.property(
        fc.array(int64, { maxLength: 2_000 }),
        fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { nil: undefined }),
        fc.string({ maxLength: 200, unit: 'grapheme' }),
        (values, expectedNextOffset, idempotencyKey) => {
          const request = { values, expectedNextOffset, idempotencyKey };
          expect(encodeAppendRequest(request)).toEqual(Buffer.from(AppendRequest.encode(request).finish()));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a value outside int64 and an offset outside uint64', () => {
    expect(() => encodeAppendStreamRequest(1, [2n ** 63n], undefined, '')).toThrow(RangeError);
    expect(() => encodeAppendStreamRequest(1, [-(2n ** 63n) - 1n], undefined, '')).toThrow(RangeError);
    expect(() => encodeAppendStreamRequest(1, [1n], -1n, '')).toThrow(RangeError);
    expect(() => encodeAppendStreamRequest(1, [1n], 2n ** 64n, '')).toThrow(RangeError);
  });
});

describe("the appender's response decoder", () => {
  const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const response = fc.record({
    requestId: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    result: fc.oneof(
      fc.record({ $case: fc.constant('appended' as const), value: fc.record({ firstOffset: uint64, nextOffset: uint64, duplicate: fc.boolean() }) }),
      fc.record({ $case: fc.constant('error' as const), value: fc.record({ code: fc.integer({ min: 0, max: 16 }), message: fc.string({ maxLength: 100, unit: 'grapheme' }) }) }),
      fc.constant(undefined),
    ),
  });

  it('reads exactly what the generated decoder reads', () => {
    fc.assert(
      fc.property(response, ({ requestId, result }) => {
        const bytes = AppendStreamResponse.encode({ requestId: BigInt(requestId), result, results: [] }).finish();
        const generated = AppendStreamResponse.decode(bytes);
        const ours = decodeAppendStreamResponse(bytes);
        expect(ours.requestId).toBe(Number(generated.requestId));
        expect(ours.$case).toBe(generated.result?.$case);
        if (ours.$case === 'appended') expect(ours.appended).toEqual(generated.result?.value);
        if (ours.$case === 'error') expect({ code: ours.code, message: ours.message }).toEqual(generated.result?.value);
        expect(ours.results).toEqual([]);
      }),
    );
  });

  it('reads a batch\'s results exactly as the generated decoder reads them', () => {
    fc.assert(
      fc.property(response, fc.array(response, { minLength: 1, maxLength: 20 }), ({ requestId }, entries) => {
        const bytes = AppendStreamResponse.encode({ requestId: BigInt(requestId), result: undefined, results: entries.map((entry) => ({ result: entry.result })) }).finish();
        const generated = AppendStreamResponse.decode(bytes);
        const ours = decodeAppendStreamResponse(bytes);
        expect(ours.requestId).toBe(requestId);
        expect(ours.$case).toBeUndefined();
        expect(ours.results.map((entry) => entry.$case)).toEqual(generated.results.map((entry) => entry.result?.$case));
        ours.results.forEach((entry, index) => {
          const value = generated.results[index]?.result?.value;
          if (entry.$case === 'appended') expect(entry.appended).toEqual(value);
          if (entry.$case === 'error') expect({ code: entry.code, message: entry.message }).toEqual(value);
        });
      }),
    );
  });

  it('skips unknown fields and refuses truncated bytes', () => {
    const bytes = AppendStreamResponse.encode({ requestId: 7n, result: { $case: 'appended', value: { firstOffset: 3n, nextOffset: 4n, duplicate: false } }, results: [] }).finish();
    // Field 9 (varint 1) before the known fields, as a newer server might send.
    const withUnknown = Buffer.concat([Buffer.from([0x48, 0x01]), Buffer.from(bytes)]);
    expect(decodeAppendStreamResponse(withUnknown)).toMatchObject({ requestId: 7, $case: 'appended', appended: { firstOffset: 3n, nextOffset: 4n } });
    expect(() => decodeAppendStreamResponse(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
  });
});

import { AppendRequest, AppendStreamRequest, AppendStreamResponse } from '@hello-es/contracts';
import fc from 'fast-check';
import { decodeAppendStreamRequest, encodeAppendedResponse, encodeBatchResponse, encodeErrorResponse, MAX_APPENDS_PER_REQUEST } from './append-stream-codec';

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
            appends: [],
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
        expect(decoded).toEqual({ requestId, result: { $case: 'appended', value: { firstOffset, nextOffset, duplicate } }, results: [] });
        expect(Buffer.from(AppendStreamResponse.encode(decoded).finish())).toEqual(encodeAppendedResponse(requestId, { firstOffset, nextOffset, duplicate }));
      }),
    );
    fc.assert(
      fc.property(uint64, fc.integer({ min: 0, max: 16 }), fc.string({ maxLength: 300, unit: 'grapheme' }), (requestId, code, message) => {
        const bytes = encodeErrorResponse(requestId, code, message);
        expect(AppendStreamResponse.decode(bytes)).toEqual({ requestId, result: { $case: 'error', value: { code, message } }, results: [] });
        expect(bytes).toEqual(Buffer.from(AppendStreamResponse.encode(AppendStreamResponse.decode(bytes)).finish()));
      }),
    );
  });

  it('decodes a batch as the generated decoder does, each append on its own', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(
        uint64,
        fc.array(fc.record({ values: fc.array(int64, { maxLength: 8 }), key: fc.string({ maxLength: 6 }), expected: fc.option(uint64, { nil: undefined }) }), { minLength: 1, maxLength: 12 }),
        (requestId, appends) => {
          const message: AppendStreamRequest = {
            requestId,
            append: undefined,
            appends: appends.map((a) => ({ values: a.values, idempotencyKey: a.key, expectedNextOffset: a.expected })),
          };
          const bytes = AppendStreamRequest.encode(message).finish();
          const decoded = decodeAppendStreamRequest(bytes);
          const generated = AppendStreamRequest.decode(bytes);
          expect(decoded.requestId).toBe(generated.requestId);
          expect(decoded.malformed).toBeUndefined();
          expect(decoded.append).toBeUndefined();
          expect(decoded.batch?.length).toBe(generated.appends.length);
          decoded.batch?.forEach((entry, index) => {
            const expected = generated.appends[index];
            expect(entry.malformed).toBeUndefined();
            expect([...(entry.append?.values ?? [])]).toEqual(expected?.values);
            expect(entry.append?.idempotencyKey).toBe(expected?.idempotencyKey);
            expect(entry.append?.expectedNextOffset).toBe(expected?.expectedNextOffset);
          });
        },
      ),
    );
  });

  it('refuses a request with both append and appends, or too many appends, as a whole; damage inside one append is that append\'s own', () => {
    const one = AppendRequest.encode({ values: [1n], idempotencyKey: '' }).finish();
    const both = Buffer.concat([Buffer.from([0x08, 0x03, 0x12, one.length]), one, Buffer.from([0x1a, one.length]), one]);
    expect(decodeAppendStreamRequest(both)).toMatchObject({ requestId: 3n, malformed: 'set append or appends, not both' });
    const entry = Buffer.concat([Buffer.from([0x1a, one.length]), one]);
    const tooMany = Buffer.concat([Buffer.from([0x08, 0x04]), ...Array.from({ length: MAX_APPENDS_PER_REQUEST + 1 }, () => entry)]);
    expect(decodeAppendStreamRequest(tooMany)).toMatchObject({ requestId: 4n, malformed: `more than ${MAX_APPENDS_PER_REQUEST} appends in one request` });
    const atLimit = Buffer.concat([Buffer.from([0x08, 0x04]), ...Array.from({ length: MAX_APPENDS_PER_REQUEST }, () => entry)]);
    expect(decodeAppendStreamRequest(atLimit).batch).toHaveLength(MAX_APPENDS_PER_REQUEST);
    const damaged = Buffer.concat([Buffer.from([0x08, 0x05]), entry, Buffer.from([0x1a, 0x02, 0x08, 0xff]), entry]);
    const decoded = decodeAppendStreamRequest(damaged);
    expect(decoded.malformed).toBeUndefined();
    expect(decoded.batch?.map((e) => e.malformed === undefined)).toEqual([true, false, true]);
  });

  it('encodes batch responses the generated decoder reads back exactly', () => {
    fc.assert(
      fc.property(
        uint64,
        fc.array(fc.oneof(fc.record({ firstOffset: uint64, nextOffset: uint64, duplicate: fc.boolean() }), fc.record({ code: fc.integer({ min: 1, max: 16 }), message: fc.string({ maxLength: 200 }) })), { minLength: 1, maxLength: 20 }),
        (requestId, outcomes) => {
          const bytes = encodeBatchResponse(
            requestId,
            outcomes.map((o) => ('code' in o ? encodeErrorResponse(0n, o.code, o.message) : encodeAppendedResponse(0n, o))),
          );
          const decoded = AppendStreamResponse.decode(bytes);
          expect(decoded.requestId).toBe(requestId);
          expect(decoded.result).toBeUndefined();
          expect(decoded.results).toEqual(outcomes.map((o) => ({ result: 'code' in o ? { $case: 'error', value: o } : { $case: 'appended', value: o } })));
          expect(Buffer.from(AppendStreamResponse.encode(decoded).finish())).toEqual(bytes);
        },
      ),
    );
  });
});

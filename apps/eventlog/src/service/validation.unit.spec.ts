import { status } from '@grpc/grpc-js';
import { GrpcStatusError } from '@hello-es/grpc-server';
import fc from 'fast-check';
import { validateAppendRequest, validateReadRequest, validateSubscribeRequest } from './validation';

function statusOf(action: () => unknown): { code: number; message: string } | undefined {
  try {
    action();
    return undefined;
  } catch (error: unknown) {
    if (error instanceof GrpcStatusError) return { code: error.code, message: error.message };
    throw error;
  }
}

describe('validateAppendRequest', () => {
  it('accepts 1 to the maximum values and keeps the conditions', () => {
    expect(validateAppendRequest({ values: [1n], expectedNextOffset: 4n, idempotencyKey: 'k' }, 3)).toEqual({
      values: [1n],
      expectedNextOffset: 4n,
      idempotencyKey: 'k',
    });
  });

  it('rejects empty and oversized appends naming the limit', () => {
    expect(statusOf(() => validateAppendRequest({ values: [], idempotencyKey: '' }, 10_000))).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'values must hold 1 to 10000 values, got none',
    });
    expect(statusOf(() => validateAppendRequest({ values: [1n, 2n, 3n, 4n], idempotencyKey: '' }, 3))).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'values must hold 1 to 3 values, got 4',
    });
  });

  it('rejects an idempotency key over 128 bytes (counted in UTF-8)', () => {
    expect(statusOf(() => validateAppendRequest({ values: [1n], idempotencyKey: 'é'.repeat(64) }, 10))).toBeUndefined();
    expect(statusOf(() => validateAppendRequest({ values: [1n], idempotencyKey: 'é'.repeat(65) }, 10))?.message).toMatch(
      /at most 128 bytes, got 130/,
    );
  });

  it('either accepts a request or rejects it with INVALID_ARGUMENT, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 20 }),
        fc.string({ maxLength: 200 }),
        fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { nil: undefined }),
        (values, idempotencyKey, expectedNextOffset) => {
          const outcome = statusOf(() => validateAppendRequest({ values, idempotencyKey, expectedNextOffset }, 10));
          const valid = values.length >= 1 && values.length <= 10 && Buffer.byteLength(idempotencyKey) <= 128;
          expect(outcome === undefined).toBe(valid);
          if (outcome) expect(outcome.code).toBe(status.INVALID_ARGUMENT);
        },
      ),
    );
  });
});

describe('validateSubscribeRequest', () => {
  it('accepts names up to 256 bytes and rejects longer ones', () => {
    expect(validateSubscribeRequest({ fromOffset: 3n, subscriberName: 'a'.repeat(256) }).fromOffset).toBe(3n);
    expect(statusOf(() => validateSubscribeRequest({ fromOffset: 0n, subscriberName: 'a'.repeat(257) }))).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'subscriber_name must be at most 256 bytes, got 257',
    });
  });

  it('takes from_head only with from_offset 0', () => {
    expect(validateSubscribeRequest({ fromOffset: 0n, subscriberName: '', fromHead: true })).toEqual({ fromOffset: 0n, subscriberName: '', fromHead: true, valuesOnly: false });
    expect(validateSubscribeRequest({ fromOffset: 3n, subscriberName: '', valuesOnly: true }).valuesOnly).toBe(true);
    expect(validateSubscribeRequest({ fromOffset: 7n, subscriberName: '' }).fromHead).toBe(false);
    expect(statusOf(() => validateSubscribeRequest({ fromOffset: 7n, subscriberName: '', fromHead: true }))).toEqual({
      code: status.INVALID_ARGUMENT,
      message: 'from_head starts at the head: from_offset must be 0 with it, got 7',
    });
  });
});

describe('validateReadRequest', () => {
  it('passes any uint64 through (the head check comes later)', () => {
    expect(validateReadRequest({ fromOffset: 2n ** 64n - 1n, maxCount: 2n ** 64n - 1n })).toEqual({
      fromOffset: 2n ** 64n - 1n,
      maxCount: 2n ** 64n - 1n,
    });
  });
});

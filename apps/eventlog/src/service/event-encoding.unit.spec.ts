import { ReadResponse, SubscribeResponse, type Event } from '@hello-es/contracts';
import fc from 'fast-check';
import { allocateBatch, type EventBatch } from '../store/event-batch';
import {
  encodeReadResponse,
  encodeSubscribeCaughtUp,
  encodeSubscribeEvents,
  encodeSubscribeStarted,
  encodeSubscribeValues,
} from './event-encoding';

function batchOf(firstOffset: bigint, values: readonly bigint[], timesMs: readonly number[]): EventBatch {
  const batch = allocateBatch(firstOffset, values.length);
  values.forEach((value, index) => {
    batch.values[index] = value;
    batch.appendTimesMs[index] = timesMs[index % timesMs.length] as number;
  });
  return batch;
}

function expected(batch: EventBatch): Event[] {
  return [...batch.values].map((value, index) => ({
    offset: batch.firstOffset + BigInt(index),
    value,
    appendTime: new Date(batch.appendTimesMs[index] as number),
  }));
}

describe('hand-written event encoding', () => {
  const extremes = [0n, 1n, -1n, 63n, -64n, 64n, 2n ** 31n, -(2n ** 31n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 300n, -300n];

  it('decodes with the generated decoder to the same events, int64 extremes included', () => {
    const batch = batchOf(0n, extremes, [0, 1, 999, 1_700_000_000_123, 1_000]);
    const decoded = SubscribeResponse.decode(encodeSubscribeEvents(batch));
    expect(decoded.kind).toEqual({ $case: 'events', value: { events: expected(batch) } });
    expect(ReadResponse.decode(encodeReadResponse(batch)).events).toEqual(expected(batch));
  });

  it('encodes large offsets (beyond 32 bits) exactly', () => {
    const batch = batchOf(2n ** 40n - 2n, [5n, -5n, 7n], [1_700_000_000_000]);
    expect(ReadResponse.decode(encodeReadResponse(batch)).events).toEqual(expected(batch));
  });

  it('matches the generated decoder for any values, offsets and times', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 52n }),
        fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: 1, maxLength: 50 }),
        fc.array(fc.integer({ min: 0, max: 4_102_444_800_000 }), { minLength: 1, maxLength: 5 }),
        (firstOffset, values, times) => {
          const batch = batchOf(firstOffset, values, times);
          expect(ReadResponse.decode(encodeReadResponse(batch)).events).toEqual(expected(batch));
        },
      ),
    );
  });

  it('frames Subscribe events batches of any size (1- to 3-byte lengths) as the generated decoder reads them', () => {
    for (const count of [0, 1, 7, 8, 9, 500, 4_096]) {
      const values = Array.from({ length: count }, (_, index) => BigInt(index * 7_919 - 1_000) * 1_000_003n);
      const batch = batchOf(123_456n, values, [1_700_000_000_000, 1_700_000_000_001]);
      expect(SubscribeResponse.decode(encodeSubscribeEvents(batch)).kind).toEqual({
        $case: 'events',
        value: { events: expected(batch) },
      });
    }
  });

  it('encodes started and caught_up as the generated encoder does', () => {
    expect(SubscribeResponse.decode(encodeSubscribeStarted('id', 9n)).kind).toEqual({
      $case: 'started',
      value: { logId: 'id', nextOffset: 9n },
    });
    expect(SubscribeResponse.decode(encodeSubscribeCaughtUp(0n)).kind).toEqual({ $case: 'caughtUp', value: { nextOffset: 0n } });
  });

  it('encodes values-only batches as the generated encoder does, any offset and int64 value', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 5_000n }), fc.array(int64, { minLength: 1, maxLength: 300 }), (firstOffset, values) => {
        const bytes = encodeSubscribeValues(batchOf(firstOffset, values, [1_000]));
        const generated = SubscribeResponse.encode({ kind: { $case: 'values', value: { firstOffset, values } } }).finish();
        expect(bytes).toEqual(Buffer.from(generated));
      }),
    );
    const batch = batchOf(0n, extremes, [0]);
    expect(SubscribeResponse.decode(encodeSubscribeValues(batch)).kind).toEqual({ $case: 'values', value: { firstOffset: 0n, values: extremes } });
  });
});

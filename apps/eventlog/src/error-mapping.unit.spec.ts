import { status } from '@grpc/grpc-js';
import { mapEventLogError } from './error-mapping';
import {
  AppendQueueFull,
  CorruptLog,
  ExpectedOffsetMismatch,
  IdempotencyKeyConflict,
  OffsetOutOfRange,
  StorageFailure,
  StorageUnavailable,
  StoreClosed,
} from './errors';

describe('mapEventLogError', () => {
  it.each([
    [new ExpectedOffsetMismatch(3n, 7n), status.FAILED_PRECONDITION, /head is 7/],
    [new IdempotencyKeyConflict('k'), status.FAILED_PRECONDITION, /idempotency key "k"/],
    [new OffsetOutOfRange(9n, 4n), status.OUT_OF_RANGE, /offset 9 is beyond the head 4/],
    [new StorageFailure('ENOSPC: no space left'), status.UNAVAILABLE, /^storage failure: the append could not be made durable/],
    [new StorageUnavailable('no stream leader: timeout'), status.UNAVAILABLE, /^storage unavailable: .*may or may not be stored/],
    [new StoreClosed(), status.UNAVAILABLE, /server shutting down/],
    [new AppendQueueFull(16_384), status.RESOURCE_EXHAUSTED, /limit is 16384, NATS_APPENDS_WAITING\); nothing was stored/],
    [new CorruptLog('/d/events.log', 5n, 'checksum mismatch'), status.DATA_LOSS, /^corrupt event log at offset 5: checksum mismatch/],
  ])('maps %p to its status with the facts in the message', (error, code, message) => {
    const mapped = mapEventLogError(error);
    expect(mapped?.code).toBe(code);
    expect(mapped?.message).toMatch(message);
  });

  it('keeps server file paths and errno text out of what clients see', () => {
    const storage = mapEventLogError(new StorageFailure('ENOSPC: no space left on device, write /var/lib/x/eventlog/events.log'));
    const corrupt = mapEventLogError(new CorruptLog('/var/lib/x/eventlog/events.log', 5n, 'checksum mismatch'));
    for (const mapped of [storage, corrupt]) {
      expect(mapped?.message).not.toMatch(/\/var\/lib|events\.log|ENOSPC/);
    }
  });

  it('leaves unknown errors to the generic INTERNAL mapping', () => {
    expect(mapEventLogError(new Error('secret detail'))).toBeUndefined();
    expect(mapEventLogError('a string')).toBeUndefined();
  });
});

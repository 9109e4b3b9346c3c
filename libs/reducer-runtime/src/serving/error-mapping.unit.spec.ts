import { status } from '@grpc/grpc-js';
import { MinOffsetNotReached, MinOffsetUnreachable, ReducerClosed, TooManyWaiters, WaitCancelled } from '../state/errors';
import { mapReducerError } from './error-mapping';

describe('mapReducerError', () => {
  it.each([
    [new MinOffsetNotReached(9n, 1n, 250), status.DEADLINE_EXCEEDED, 'next offset 1 did not reach min_next_offset 9 within 250 ms'],
    [new MinOffsetUnreachable(2n ** 60n, 2n ** 53n), status.OUT_OF_RANGE, `min_next_offset ${2n ** 60n} is beyond`],
    [new TooManyWaiters(10_000), status.RESOURCE_EXHAUSTED, 'too many GetState calls waiting (limit 10000)'],
    [new WaitCancelled(), status.CANCELLED, 'call cancelled'],
    [new ReducerClosed(), status.UNAVAILABLE, 'server shutting down'],
  ])('maps %s to its status with its facts in the message', (error, code, message) => {
    const mapped = mapReducerError(error);
    expect(mapped?.code).toBe(code);
    expect(mapped?.message).toContain(message);
  });

  it('leaves unknown errors to the generic INTERNAL answer', () => {
    expect(mapReducerError(new Error('disk on fire'))).toBeUndefined();
  });
});

import { status } from '@grpc/grpc-js';
import { GrpcStatusError, type DomainErrorMapper } from '@hello-es/grpc-server';
import { MinOffsetNotReached, MinOffsetUnreachable, ReducerClosed, TooManyWaiters, WaitCancelled } from '../state/errors';

/**
 * The one place where the reducer runtime's domain errors become gRPC
 * statuses. Unknown errors return undefined and go out as INTERNAL.
 */
export const mapReducerError: DomainErrorMapper = (error) => {
  if (error instanceof MinOffsetNotReached) return new GrpcStatusError(status.DEADLINE_EXCEEDED, error.message);
  if (error instanceof MinOffsetUnreachable) return new GrpcStatusError(status.OUT_OF_RANGE, error.message);
  if (error instanceof TooManyWaiters) return new GrpcStatusError(status.RESOURCE_EXHAUSTED, error.message);
  if (error instanceof WaitCancelled) return new GrpcStatusError(status.CANCELLED, error.message);
  if (error instanceof ReducerClosed) return new GrpcStatusError(status.UNAVAILABLE, error.message);
  return undefined;
};

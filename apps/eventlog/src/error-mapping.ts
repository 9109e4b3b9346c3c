import { status } from '@grpc/grpc-js';
import { GrpcStatusError, type DomainErrorMapper } from '@hello-es/grpc-server';
import {
  CorruptLog,
  ExpectedOffsetMismatch,
  IdempotencyKeyConflict,
  OffsetOutOfRange,
  StorageFailure,
  StoreClosed,
} from './errors';

/**
 * The one place where the event log's domain errors become gRPC statuses.
 * Unknown errors return undefined and go out as INTERNAL "internal error".
 */
export const mapEventLogError: DomainErrorMapper = (error) => {
  if (error instanceof ExpectedOffsetMismatch) return new GrpcStatusError(status.FAILED_PRECONDITION, error.message);
  if (error instanceof IdempotencyKeyConflict) return new GrpcStatusError(status.FAILED_PRECONDITION, error.message);
  if (error instanceof OffsetOutOfRange) return new GrpcStatusError(status.OUT_OF_RANGE, error.message);
  if (error instanceof StorageFailure) return new GrpcStatusError(status.UNAVAILABLE, `storage failure: ${error.message}`);
  if (error instanceof StoreClosed) return new GrpcStatusError(status.UNAVAILABLE, error.message);
  // A damaged record found while serving: the data is lost, say so.
  if (error instanceof CorruptLog) return new GrpcStatusError(status.DATA_LOSS, error.message);
  return undefined;
};

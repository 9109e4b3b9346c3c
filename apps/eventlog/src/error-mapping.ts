import { status } from '@grpc/grpc-js';
import { GrpcStatusError, type DomainErrorMapper } from '@hello-es/grpc-server';
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

/**
 * The one place where the event log's domain errors become gRPC statuses.
 * Unknown errors return undefined and go out as INTERNAL "internal error".
 */
export const mapEventLogError: DomainErrorMapper = (error) => {
  if (error instanceof ExpectedOffsetMismatch) return new GrpcStatusError(status.FAILED_PRECONDITION, error.message);
  if (error instanceof IdempotencyKeyConflict) return new GrpcStatusError(status.FAILED_PRECONDITION, error.message);
  if (error instanceof OffsetOutOfRange) return new GrpcStatusError(status.OUT_OF_RANGE, error.message);
  // Clients get what happened and what it means for them; the file, the errno
  // and its text are in the server's log (the store logs them where they occur).
  if (error instanceof StorageFailure) {
    return new GrpcStatusError(
      status.UNAVAILABLE,
      'storage failure: the append could not be made durable and was not stored (the cause is in the event log\'s log); retry it',
    );
  }
  if (error instanceof StorageUnavailable) {
    return new GrpcStatusError(
      status.UNAVAILABLE,
      "storage unavailable: the event log cannot reach its storage right now (the cause is in the event log's log); an append that got this answer may or may not be stored: retry it with the same idempotency key",
    );
  }
  if (error instanceof AppendQueueFull) return new GrpcStatusError(status.RESOURCE_EXHAUSTED, error.message);
  if (error instanceof StoreClosed) return new GrpcStatusError(status.UNAVAILABLE, error.message);
  // A damaged record found while serving: the data is lost, say so.
  if (error instanceof CorruptLog) {
    return new GrpcStatusError(status.DATA_LOSS, `corrupt event log at offset ${error.offset}: ${error.problem} (details in the event log's log)`);
  }
  return undefined;
};

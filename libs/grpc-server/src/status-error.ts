import { status } from '@grpc/grpc-js';

/**
 * An error that already knows its gRPC status: thrown at the edge by request
 * validation (INVALID_ARGUMENT, OUT_OF_RANGE, …) and by domain error mappers.
 * Its message goes to the client as the status details.
 */
export class GrpcStatusError extends Error {
  override readonly name = 'GrpcStatusError';
  constructor(
    readonly code: status,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isGrpcStatusError(error: unknown): error is GrpcStatusError {
  return error instanceof GrpcStatusError;
}

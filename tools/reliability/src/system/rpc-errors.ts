import { status, type ServiceError } from '@grpc/grpc-js';

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number';
}

/** The gRPC status code of a failed call, or undefined for a non-gRPC error. */
export function statusCodeOf(error: unknown): number | undefined {
  return isServiceError(error) ? error.code : undefined;
}

/** "UNAVAILABLE" for 14, and so on. */
export function statusName(code: number | undefined): string {
  if (code === undefined) return 'none';
  return status[code] ?? `code ${code}`;
}

/**
 * Failures after which the append may or may not have been stored: the
 * connection broke or the deadline passed before the reply arrived.
 */
export function isUnknownOutcome(error: unknown): boolean {
  const code = statusCodeOf(error);
  return code === status.UNAVAILABLE || code === status.DEADLINE_EXCEEDED || code === status.CANCELLED || code === status.INTERNAL || code === status.UNKNOWN;
}

import { status, type ServiceError } from '@grpc/grpc-js';

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && typeof (error as ServiceError).code === 'number';
}

/**
 * A failed gRPC call as the page shows it: the status name and a message.
 * The server's own message is passed on (the event log maps its errors to
 * safe text), but grpc-js's connection errors carry errno text and
 * addresses, so UNAVAILABLE and DEADLINE_EXCEEDED get a fixed sentence.
 */
export function grpcErrorForPage(error: unknown, what: string): { code: string; message: string } {
  if (!isServiceError(error)) return { code: 'INTERNAL', message: `${what} failed` };
  const code = status[error.code] ?? 'UNKNOWN';
  if (error.code === status.UNAVAILABLE) return { code, message: `${what} is unreachable` };
  if (error.code === status.DEADLINE_EXCEEDED) return { code, message: `${what} did not answer in time` };
  return { code, message: error.details || code };
}

import { status, type ServiceError } from '@grpc/grpc-js';

/** Exit codes scripts can rely on. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_SERVER_ERROR = 2;
export const EXIT_CANNOT_CONNECT = 3;

/** An error the CLI reports in one line and exits with `exitCode`. */
export class CliError extends Error {
  /** Whether the usage follows the message (exit 1 only; not for a bad input line, which is data, not usage). */
  readonly showUsage: boolean;
  constructor(message: string, readonly exitCode: number, options: { showUsage?: boolean } = {}) {
    super(message);
    this.showUsage = options.showUsage ?? exitCode === EXIT_USAGE;
  }
}

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && 'code' in error && typeof (error as ServiceError).code === 'number';
}

/**
 * Who said UNAVAILABLE: the connection (nothing answered: refused, TLS
 * failed, dropped) or a server that answered (a gateway whose stream has no
 * leader, a server shutting down). Only the first is "cannot connect".
 */
export type UnavailableFrom = 'connection' | 'server';

/**
 * Maps a gRPC failure to a CliError: UNAVAILABLE from the connection is
 * "cannot connect" (3), any status a server sent, UNAVAILABLE too, a server
 * error (2) with the code's name first.
 */
export function toCliError(error: unknown, address: string, unavailableFrom: UnavailableFrom = 'connection'): CliError {
  if (error instanceof CliError) return error;
  if (isServiceError(error)) {
    const name = status[error.code] ?? String(error.code);
    if (error.code === status.UNAVAILABLE && unavailableFrom === 'connection') {
      const details = (error.details || name).replace(/\.?\s*Resolution note:.*$/s, '');
      return new CliError(`cannot connect to ${address}: ${details}`, EXIT_CANNOT_CONNECT);
    }
    return new CliError(`${name}: ${error.details}`, EXIT_SERVER_ERROR);
  }
  return new CliError(error instanceof Error ? error.message : String(error), EXIT_SERVER_ERROR);
}

import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import type { Logger } from '@hello-es/process';
import { isGrpcStatusError, type GrpcStatusError } from './status-error';

/**
 * Maps an app's own typed errors to a status, or returns undefined for errors
 * it does not know.
 */
export type DomainErrorMapper = (error: unknown) => GrpcStatusError | undefined;

/**
 * The status a failed call answers with. Known errors keep their code and
 * message; anything else goes out as INTERNAL with a generic message, while
 * the stack goes to the log (never to the client).
 */
export function statusFromError(
  error: unknown,
  mapDomainError: DomainErrorMapper,
  logger: Logger,
  method: string,
): StatusObject {
  const known = isGrpcStatusError(error) ? error : mapDomainError(error);
  if (known) {
    // Lost data is an operator's emergency: the domain error (with the file it
    // names) goes to the log, since the client only gets a short cause.
    if (known.code === status.DATA_LOSS && known !== error) logger.error({ err: error, method }, 'data loss while serving a call');
    return { code: known.code, details: known.message, metadata: new Metadata() };
  }
  logger.error({ err: error, method }, 'unexpected error in handler');
  return { code: status.INTERNAL, details: 'internal error', metadata: new Metadata() };
}


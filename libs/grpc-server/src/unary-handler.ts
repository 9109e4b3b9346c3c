import type { handleUnaryCall, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { statusFromError, type DomainErrorMapper } from './error-status';
import type { Logger } from './logger';
import { assertWellFormed } from './malformed-request';

export interface HandlerContext {
  readonly logger: Logger;
  readonly mapDomainError: DomainErrorMapper;
}

/**
 * Adapts an async function to a grpc-js unary handler: its result is the
 * reply, and what it throws becomes a status through the error mapping.
 * The signal aborts when the client cancels or the deadline passes.
 */
export function unaryHandler<Request, Response>(
  context: HandlerContext,
  method: string,
  handle: (request: Request, signal: AbortSignal, call: ServerUnaryCall<Request, Response>) => Promise<Response>,
): handleUnaryCall<Request, Response> {
  return (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => {
    const abort = new AbortController();
    const onCancelled = (): void => abort.abort();
    call.once('cancelled', onCancelled);
    const handled = (async () => {
      assertWellFormed(call.request, method);
      return handle(call.request, abort.signal, call);
    })();
    handled.then(
      (response) => {
        call.off('cancelled', onCancelled);
        callback(null, response);
      },
      (error: unknown) => {
        call.off('cancelled', onCancelled);
        callback(statusFromError(error, context.mapDomainError, context.logger, method));
      },
    );
  };
}

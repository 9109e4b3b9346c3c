import { status, type handleUnaryCall, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Logger } from '@hello-es/process';
import { statusFromError, type DomainErrorMapper } from './error-status';
import { edgeSlotFor } from './interceptors/edge-binding';
import { interceptCall, statusObjectOf } from './interceptors/intercept-call';
import { StatusError } from './interceptors/server-interceptor';
import { assertWellFormed } from './malformed-request';

export interface HandlerContext {
  readonly logger: Logger;
  readonly mapDomainError: DomainErrorMapper;
}

/**
 * Adapts an async function to a grpc-js unary handler: its result is the
 * reply, and what it throws becomes a status through the error mapping.
 * The signal aborts when the client cancels, the deadline passes, or an
 * interceptor ends the call. Every call passes the server's interceptors.
 */
export function unaryHandler<Request, Response>(
  context: HandlerContext,
  method: string,
  handle: (request: Request, signal: AbortSignal, call: ServerUnaryCall<Request, Response>) => Promise<Response>,
): handleUnaryCall<Request, Response> {
  const slot = edgeSlotFor(method, (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => {
    let response: Response | undefined;
    let cancelled = false;
    const intercepted = interceptCall({
      edge: slot.edge(),
      kind: 'unary',
      metadata: call.metadata,
      peer: call.getPeer(),
      logger: context.logger,
      run: (running) => {
        void (async () => {
          assertWellFormed(call.request, method);
          return handle(call.request, running.context.signal, call);
        })().then(
          (result) => {
            response = result;
            running.finish(undefined);
          },
          (error: unknown) => running.finish(toStatusError(error, context, method)),
        );
      },
      send: (outcome) => {
        if (cancelled) return;
        if (outcome) callback(statusObjectOf(outcome));
        else callback(null, response);
      },
    });
    call.once('cancelled', () => {
      cancelled = true;
      intercepted.finish(new StatusError(status.CANCELLED, 'cancelled by the client or its deadline'));
    });
  });
  return slot.handler;
}

/** What a handler threw, as the status error the call ends with. */
export function toStatusError(error: unknown, context: HandlerContext, method: string): StatusError {
  const { code, details } = statusFromError(error, context.mapDomainError, context.logger, method);
  return new StatusError(code, details ?? '');
}

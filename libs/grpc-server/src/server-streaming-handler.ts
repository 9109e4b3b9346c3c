import { status, type handleServerStreamingCall, type ServerWritableStream } from '@grpc/grpc-js';
import { edgeSlotFor } from './interceptors/edge-binding';
import { interceptCall, statusObjectOf } from './interceptors/intercept-call';
import { StatusError } from './interceptors/server-interceptor';
import { assertWellFormed } from './malformed-request';
import type { OpenStreams } from './open-streams';
import { toStatusError, type HandlerContext } from './unary-handler';

export interface StreamingHandlerContext extends HandlerContext {
  /** Infinite streams register here so shutdown can end them first. */
  readonly openStreams?: OpenStreams;
}

/** A server-streaming handler written as an async generator. */
export type StreamingHandle<Request, Response> = (
  request: Request,
  signal: AbortSignal,
  call: ServerWritableStream<Request, Response>,
) => AsyncIterable<Response>;

/**
 * Adapts an async generator to a grpc-js server-streaming handler.
 *
 * Flow control: when `call.write()` returns false the adapter stops pulling
 * from the generator until the stream drains, so a slow client never makes
 * the server buffer more than the stream's high-water mark.
 * The signal aborts when the client cancels, the stream breaks, shutdown or
 * an interceptor ends it; the generator is then closed (its `finally` blocks
 * run). What the generator throws becomes a status through the error mapping.
 * Every call passes the server's interceptors.
 */
export function serverStreamingHandler<Request, Response>(
  context: StreamingHandlerContext,
  method: string,
  handle: StreamingHandle<Request, Response>,
): handleServerStreamingCall<Request, Response> {
  const slot = edgeSlotFor(method, (call: ServerWritableStream<Request, Response>) => {
    let unregister = (): void => undefined;
    const intercepted = interceptCall({
      edge: slot.edge(),
      kind: 'server-streaming',
      metadata: call.metadata,
      peer: call.getPeer(),
      logger: context.logger,
      run: (running) => {
        unregister = context.openStreams?.add((reason) => running.finish(new StatusError(reason.code, reason.details))) ?? unregister;
        const signal = running.context.signal;
        void (async () => {
          try {
            assertWellFormed(call.request, method);
            for await (const message of handle(call.request, signal, call)) {
              if (running.ended) break;
              if (!call.write(message)) await drained(call, signal);
            }
            running.finish(undefined);
          } catch (error: unknown) {
            if (!running.ended) running.finish(toStatusError(error, context, method));
          }
        })();
      },
      send: (outcome) => {
        unregister();
        if (call.cancelled || call.destroyed) return;
        if (outcome) call.emit('error', statusObjectOf(outcome));
        else call.end();
      },
    });
    const clientGone = (): void => intercepted.finish(new StatusError(status.CANCELLED, 'cancelled by the client or its deadline'));
    call.once('cancelled', clientGone);
    call.once('close', clientGone);
  });
  return slot.handler;
}

/** Resolves on 'drain', or as soon as the signal aborts. */
function drained(call: ServerWritableStream<unknown, unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.on('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

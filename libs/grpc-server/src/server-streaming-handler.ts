import type { handleServerStreamingCall, ServerWritableStream, StatusObject } from '@grpc/grpc-js';
import { statusFromError } from './error-status';
import { assertWellFormed } from './malformed-request';
import type { OpenStreams } from './open-streams';
import type { HandlerContext } from './unary-handler';

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
 * The signal aborts when the client cancels, the stream breaks, or shutdown
 * ends it; the generator is then closed (its `finally` blocks run).
 * What the generator throws becomes a status through the error mapping.
 */
export function serverStreamingHandler<Request, Response>(
  context: StreamingHandlerContext,
  method: string,
  handle: StreamingHandle<Request, Response>,
): handleServerStreamingCall<Request, Response> {
  return (call: ServerWritableStream<Request, Response>) => {
    const abort = new AbortController();
    let ended = false;
    const unregister =
      context.openStreams?.add((reason) => endWith(reason)) ?? ((): void => undefined);

    function endWith(reason: StatusObject | undefined): void {
      if (ended) return;
      ended = true;
      unregister();
      abort.abort();
      if (call.cancelled || call.destroyed) return;
      if (reason) call.emit('error', reason);
      else call.end();
    }

    call.once('cancelled', () => endWith(undefined));
    call.once('close', () => endWith(undefined));

    void (async () => {
      try {
        assertWellFormed(call.request, method);
        for await (const message of handle(call.request, abort.signal, call)) {
          if (ended) break;
          if (!call.write(message)) await drained(call, abort.signal);
        }
        endWith(undefined);
      } catch (error: unknown) {
        if (ended) return;
        endWith(statusFromError(error, context.mapDomainError, context.logger, method));
      }
    })();
  };
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

import { status, type handleBidiStreamingCall, type ServerDuplexStream } from '@grpc/grpc-js';
import { edgeSlotFor } from './interceptors/edge-binding';
import { interceptCall, statusObjectOf } from './interceptors/intercept-call';
import { StatusError } from './interceptors/server-interceptor';
import type { StreamingHandlerContext } from './server-streaming-handler';
import { toStatusError } from './unary-handler';

/** What a bidi handler gets besides the grpc-js call. */
export interface BidiCall {
  /** Aborts when the call ends for any reason: the handler's end, cancel, shutdown, an interceptor. */
  readonly signal: AbortSignal;
  /** True once the call has ended (further writes are dropped). */
  readonly ended: boolean;
  /**
   * Ends the call: no argument for OK (after the handler's last write), an
   * error for a status (through the error mapping, as a unary handler's
   * throw). First call wins.
   */
  end(error?: unknown): void;
}

/**
 * A bidi-streaming handler: it reads `call` and writes to it itself (a bidi
 * protocol has its own pacing, so unlike the server-streaming adapter there
 * is no generator to pull), and ends the call with `bidi.end`.
 */
export type BidiStreamingHandle<Request, Response> = (call: ServerDuplexStream<Request, Response>, bidi: BidiCall) => void;

/**
 * Adapts a bidi handler to grpc-js: the call passes the server's interceptor
 * chain (kind `bidi-streaming`, so access logs and limits see it like any
 * other), registers with the open-streams registry so shutdown ends it with
 * UNAVAILABLE, and ends with CANCELLED when the client goes away. The final
 * status is sent once, by this adapter.
 */
export function bidiStreamingHandler<Request, Response>(
  context: StreamingHandlerContext,
  method: string,
  handle: BidiStreamingHandle<Request, Response>,
): handleBidiStreamingCall<Request, Response> {
  const slot = edgeSlotFor(method, (call: ServerDuplexStream<Request, Response>) => {
    let unregister = (): void => undefined;
    const intercepted = interceptCall({
      edge: slot.edge(),
      kind: 'bidi-streaming',
      metadata: call.metadata,
      peer: call.getPeer(),
      logger: context.logger,
      run: (running) => {
        unregister = context.openStreams?.add((reason) => running.finish(new StatusError(reason.code, reason.details))) ?? unregister;
        if (running.ended) return;
        const bidi: BidiCall = {
          signal: running.context.signal,
          get ended() {
            return running.ended;
          },
          end: (error?: unknown) => {
            if (running.ended) return;
            running.finish(error === undefined ? undefined : toStatusError(error, context, method));
          },
        };
        try {
          handle(call, bidi);
        } catch (error: unknown) {
          bidi.end(error);
        }
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

import { Metadata, status } from '@grpc/grpc-js';
import type { Logger } from '@hello-es/process';
import { isGrpcStatusError } from '../status-error';
import { StatusError, type CallContext, type CallKind, type ServerInterceptor } from './server-interceptor';

/** Where a handler sits on a server: set by `startGrpcServer` when it registers the service. */
export interface CallEdge {
  readonly path: string;
  readonly interceptors: readonly ServerInterceptor[];
}

export interface InterceptCallOptions {
  readonly edge: CallEdge;
  readonly kind: CallKind;
  readonly metadata: Metadata;
  readonly peer: string;
  readonly logger: Logger;
  /** Starts the handler once every interceptor called next(). It ends the call with `finish`. */
  run(call: InterceptedCall): void;
  /** Sends the final outcome to the client (undefined: OK). Called exactly once. */
  send(outcome: StatusError | undefined): void;
}

export interface InterceptedCall {
  readonly context: CallContext;
  readonly ended: boolean;
  /** Ends the call (first outcome wins): sends it, aborts the signal, settles next(). */
  finish(outcome: StatusError | undefined): void;
}

/**
 * Runs one call through the interceptor chain: the building block of the
 * unary and server-streaming adapters, and the one a bidi adapter uses so its
 * calls pass the same chain. A refusal (an interceptor throwing before
 * next()) ends the call with that error and the handler never runs.
 */
export function interceptCall(options: InterceptCallOptions): InterceptedCall {
  const abort = new AbortController();
  let ended = false;
  let settle: ((outcome: StatusError | undefined) => void) | undefined;
  const outcome = new Promise<StatusError | undefined>((resolve) => (settle = resolve));
  const { service, method } = splitPath(options.edge.path);
  const finish = (result: StatusError | undefined): void => {
    if (ended) return;
    ended = true;
    try {
      options.send(result);
    } finally {
      abort.abort();
      settle?.(result);
    }
  };
  const context: CallContext = {
    path: options.edge.path,
    service,
    method,
    kind: options.kind,
    metadata: options.metadata,
    peer: options.peer,
    signal: abort.signal,
    end: (error) => finish(error),
  };
  const call: InterceptedCall = {
    context,
    get ended() {
      return ended;
    },
    finish,
  };
  let handlerStarted = false;
  const innermost = async (): Promise<void> => {
    if (handlerStarted) throw new Error('next() called twice');
    handlerStarted = true;
    if (!ended) options.run(call);
    const result = await outcome;
    if (result) throw result;
  };
  const dispatch = (index: number): Promise<void> => {
    const interceptor = options.edge.interceptors[index];
    if (!interceptor) return innermost();
    return interceptor.intercept(context, () => dispatch(index + 1));
  };
  dispatch(0).then(
    () => {
      if (!handlerStarted && !ended) {
        options.logger.error({ path: options.edge.path }, 'an interceptor neither called next() nor refused the call');
        finish(new StatusError(status.INTERNAL, 'internal error'));
      }
    },
    (error: unknown) => {
      if (ended) return;
      if (isGrpcStatusError(error)) return finish(error);
      options.logger.error({ err: error, path: options.edge.path }, 'unexpected error in interceptor');
      finish(new StatusError(status.INTERNAL, 'internal error'));
    },
  );
  return call;
}

function splitPath(path: string): { service: string; method: string } {
  const slash = path.lastIndexOf('/');
  return { service: path.slice(1, slash), method: path.slice(slash + 1) };
}

/** The status object grpc-js sends for an outcome. */
export function statusObjectOf(error: StatusError): { code: status; details: string; metadata: Metadata } {
  return { code: error.code, details: error.message, metadata: new Metadata() };
}

import type { Metadata } from '@grpc/grpc-js';
import { GrpcStatusError } from '../status-error';

/** The status error an intercepted call ends with (the edge's GrpcStatusError). */
export type StatusError = GrpcStatusError;
export const StatusError = GrpcStatusError;

export type CallKind = 'unary' | 'server-streaming' | 'bidi-streaming';

/** What an interceptor sees of one RPC. */
export interface CallContext {
  /** '/eventlog.v1.EventLogService/Append' */
  readonly path: string;
  /** 'eventlog.v1.EventLogService' */
  readonly service: string;
  /** 'Append' */
  readonly method: string;
  readonly kind: CallKind;
  readonly metadata: Metadata;
  readonly peer: string;
  /** Aborted when the call ends, for any reason. */
  readonly signal: AbortSignal;
  /** Ends an open call from outside (e.g. a revoked token ends a stream). No-op once ended. */
  end(error: StatusError): void;
}

/**
 * One link of the chain every RPC handled through `unaryHandler`,
 * `serverStreamingHandler` or {@link interceptCall} passes through, in the
 * order given to `startGrpcServer({ interceptors })` (the first is outermost).
 */
export interface ServerInterceptor {
  readonly name: string;
  /** Throw a StatusError before next() to refuse the call; next() resolves when the handler finished OK and rejects with the StatusError the call ends with. */
  intercept(call: CallContext, next: () => Promise<void>): Promise<void>;
}

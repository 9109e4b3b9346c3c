import {
  ServerInterceptingCall,
  status,
  type Metadata,
  type ServerInterceptingCallInterface,
  type ServerInterceptor,
  type ServerMethodDefinition,
} from '@grpc/grpc-js';
import type { Logger } from '@hello-es/process';
import { authorizeCall } from '../security/authorize';
import { OncePerInterval } from '../security/once-per-minute';
import type { TokenStore } from '../security/token-store';
import type { TokenEntry } from '../security/tokens-file';
import { GrpcStatusError, isGrpcStatusError } from '../status-error';

export interface StreamLimits {
  /** Open server-streaming calls (Subscribe, WatchState) on the whole server; MAX_SUBSCRIPTIONS. */
  readonly maxSubscriptions: number;
  /** Open server-streaming calls per token (when a tokens file is set); MAX_SUBSCRIPTIONS_PER_TOKEN. */
  readonly maxSubscriptionsPerToken: number;
}

export interface AuthInterceptorOptions {
  /** Unset: no tokens needed (loopback or INSECURE=1); only the stream limits apply. */
  readonly tokens?: TokenStore;
  readonly limits: StreamLimits;
  readonly logger: Logger;
}

interface OpenCall {
  readonly entry: TokenEntry | undefined;
  readonly end: (code: status, details: string) => void;
}

/**
 * One grpc-js server interceptor for authentication, authorization and the
 * subscription limits, before any handler runs:
 * - a call whose method needs a role is refused with UNAUTHENTICATED or
 *   PERMISSION_DENIED ({@link authorizeCall}); refusals are logged at most
 *   once per peer per minute, never with the token;
 * - a server-streaming call past MAX_SUBSCRIPTIONS or
 *   MAX_SUBSCRIPTIONS_PER_TOKEN gets RESOURCE_EXHAUSTED naming the limit;
 * - when the tokens file is reloaded, open calls whose token is gone (or
 *   lost its roles) end with UNAUTHENTICATED "token revoked".
 */
export function createAuthInterceptor(options: AuthInterceptorOptions): { interceptor: ServerInterceptor; close(): void } {
  const refusals = new OncePerInterval();
  const open = new Set<OpenCall>();
  const perToken = new Map<string, number>();
  let streams = 0;
  const stopListening =
    options.tokens?.onReload(() => {
      for (const call of [...open]) {
        if (call.entry && !options.tokens?.isCurrent(call.entry)) call.end(status.UNAUTHENTICATED, 'token revoked');
      }
    }) ?? ((): void => undefined);

  const interceptor: ServerInterceptor = (method: ServerMethodDefinition<unknown, unknown>, call: ServerInterceptingCallInterface) => {
    let release = (): void => undefined;
    const intercepted: ServerInterceptingCall = new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata: Metadata, proceed) => {
            try {
              const entry = options.tokens ? authorizeCall(options.tokens, method.path, metadata) : undefined;
              release = admit(method, entry, intercepted);
            } catch (error: unknown) {
              const code = isGrpcStatusError(error) ? error.code : status.INTERNAL;
              const details = isGrpcStatusError(error) ? error.message : 'internal error';
              const peer = call.getPeer();
              if (refusals.shouldLog(`${peer}:${code}`)) options.logger.warn({ peer, method: method.path, code: status[code] }, `refused: ${details}`);
              intercepted.sendStatus({ code, details });
              return;
            }
            proceed(metadata);
          },
          onCancel: () => release(),
        }),
      sendStatus: (outcome, next) => {
        release();
        next(outcome);
      },
    });
    return intercepted;
  };

  /** Counts a streaming call against the limits; returns the release (idempotent). */
  function admit(method: ServerMethodDefinition<unknown, unknown>, entry: TokenEntry | undefined, call: ServerInterceptingCall): () => void {
    const record: OpenCall = { entry, end: (code, details) => call.sendStatus({ code, details }) };
    if (!method.responseStream) {
      if (!entry) return () => undefined;
      open.add(record);
      return () => void open.delete(record);
    }
    if (streams >= options.limits.maxSubscriptions) {
      throw resourceExhausted(`MAX_SUBSCRIPTIONS (${options.limits.maxSubscriptions} open streams on this server) reached`);
    }
    const key = entry?.name;
    const ofToken = key === undefined ? 0 : (perToken.get(key) ?? 0);
    if (key !== undefined && ofToken >= options.limits.maxSubscriptionsPerToken) {
      throw resourceExhausted(`MAX_SUBSCRIPTIONS_PER_TOKEN (${options.limits.maxSubscriptionsPerToken} open streams for "${key}") reached`);
    }
    streams += 1;
    if (key !== undefined) perToken.set(key, ofToken + 1);
    open.add(record);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      streams -= 1;
      open.delete(record);
      if (key !== undefined) {
        const left = (perToken.get(key) ?? 1) - 1;
        if (left === 0) perToken.delete(key);
        else perToken.set(key, left);
      }
    };
  }

  return { interceptor, close: stopListening };
}

function resourceExhausted(message: string): GrpcStatusError {
  return new GrpcStatusError(status.RESOURCE_EXHAUSTED, message);
}

import type { ChannelOptions, ServerCredentials } from '@grpc/grpc-js';
import { ServerCredentials as Credentials } from '@grpc/grpc-js';
import { readInteger, type Env } from '@hello-es/process';
import { createAuthInterceptor } from '../interceptors/auth';
import type { Logger } from '@hello-es/process';
import { enforceProtectedMode } from './protected-mode';
import { RotatingServerCredentials } from './rotating-server-credentials';
import { TokenStore } from './token-store';
import { readServerTlsSettings } from './tls-settings';

export const DEFAULT_MAX_CONCURRENT_STREAMS = 2_000;
export const DEFAULT_MAX_SUBSCRIPTIONS = 10_000;
export const DEFAULT_MAX_SUBSCRIPTIONS_PER_TOKEN = 1_000;
export const DEFAULT_MAX_CONNECTION_IDLE_MS = 15 * 60_000;

/** What a server needs for TLS, tokens and limits, built from its environment. */
export interface ServerSecurity {
  readonly credentials: ServerCredentials;
  /** Server options (limits, keepalive, the auth interceptor) for startGrpcServer's channelOptions. */
  readonly channelOptions: ChannelOptions;
  readonly tls: boolean;
  readonly tokens: boolean;
  /** Re-reads certificates and tokens (SIGHUP). */
  reload(reason: string): void;
  close(): void;
}

/**
 * Reads TLS_* (with the app's prefix winning), AUTH_TOKENS_FILE and the
 * limits, checks every file (a ConfigError naming the variable stops the
 * process), enforces protected mode and watches the files for changes.
 */
export function readServerSecurity(env: Env, appPrefix: string, listenVariable: string, listenAddress: string, logger: Logger): ServerSecurity {
  const tlsSettings = readServerTlsSettings(env, appPrefix);
  const tokensFile = env['AUTH_TOKENS_FILE']?.trim() || undefined;
  const limits = {
    maxSubscriptions: readInteger(env, 'MAX_SUBSCRIPTIONS', DEFAULT_MAX_SUBSCRIPTIONS, { min: 1, max: 1_000_000 }),
    maxSubscriptionsPerToken: readInteger(env, 'MAX_SUBSCRIPTIONS_PER_TOKEN', DEFAULT_MAX_SUBSCRIPTIONS_PER_TOKEN, { min: 1, max: 1_000_000 }),
  };
  const maxConcurrentStreams = readInteger(env, 'MAX_CONCURRENT_STREAMS', DEFAULT_MAX_CONCURRENT_STREAMS, { min: 1, max: 100_000 });
  const maxConnectionIdleMs = readInteger(env, 'MAX_CONNECTION_IDLE_MS', DEFAULT_MAX_CONNECTION_IDLE_MS, { min: 1_000, max: 86_400_000 });
  const maxConnectionAgeMs = readInteger(env, 'MAX_CONNECTION_AGE_MS', 0, { min: 0, max: 30 * 86_400_000 });
  const stopWarning = enforceProtectedMode(env, listenVariable, listenAddress, { tls: tlsSettings !== undefined, tokens: tokensFile !== undefined }, logger);
  const rotating = tlsSettings ? new RotatingServerCredentials(tlsSettings, logger) : undefined;
  let tokens: TokenStore | undefined;
  try {
    tokens = tokensFile ? new TokenStore(tokensFile, logger) : undefined;
  } catch (error: unknown) {
    rotating?.close();
    stopWarning();
    throw error;
  }
  const auth = createAuthInterceptor({ ...(tokens ? { tokens } : {}), limits, logger });
  return {
    credentials: rotating?.credentials ?? Credentials.createInsecure(),
    channelOptions: {
      'grpc.max_concurrent_streams': maxConcurrentStreams,
      'grpc.max_connection_idle_ms': maxConnectionIdleMs,
      ...(maxConnectionAgeMs > 0 ? { 'grpc.max_connection_age_ms': maxConnectionAgeMs, 'grpc.max_connection_age_grace_ms': 30_000 } : {}),
      interceptors: [auth.interceptor],
    },
    tls: rotating !== undefined,
    tokens: tokens !== undefined,
    reload: (reason) => {
      rotating?.reload(reason);
      tokens?.reload(reason);
    },
    close: () => {
      auth.close();
      tokens?.close();
      rotating?.close();
      stopWarning();
    },
  };
}

/** Re-reads certificates and tokens on SIGHUP; returns the remover. */
export function reloadOnSighup(security: ServerSecurity): () => void {
  const onHangup = (): void => security.reload('SIGHUP');
  process.on('SIGHUP', onHangup);
  return () => void process.off('SIGHUP', onHangup);
}

import { isIP } from 'node:net';
import { ConfigError, type Env } from '@hello-es/process';
import type { Logger } from '@hello-es/process';

export const INSECURE_WARNING_EVERY_MS = 3_600_000;

/** Whether a listen address's host is loopback only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(address: string): boolean {
  const host = address.slice(0, address.lastIndexOf(':')).replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Protected mode, in the manner of Redis's: off loopback, a server needs TLS
 * and tokens, or the explicit opt-out INSECURE=1. Throws a ConfigError naming
 * the variables to set. With INSECURE=1 it warns now and every hour; call the
 * returned function to stop the hourly warning.
 */
export function enforceProtectedMode(
  env: Env,
  listenVariable: string,
  listenAddress: string,
  security: { readonly tls: boolean; readonly tokens: boolean },
  logger: Logger,
): () => void {
  if (isLoopbackHost(listenAddress) || (security.tls && security.tokens)) return () => undefined;
  const missing = [...(security.tls ? [] : ['TLS_CERT_FILE and TLS_KEY_FILE']), ...(security.tokens ? [] : ['AUTH_TOKENS_FILE'])];
  if (env['INSECURE']?.trim() !== '1') {
    throw new ConfigError(
      listenVariable,
      `is ${listenAddress}, not a loopback address: set ${missing.join(' and ')} (protected mode), or INSECURE=1 to serve without them`,
    );
  }
  const warn = (): void => logger.warn({ listen: listenAddress, missing }, `INSECURE=1: serving on ${listenAddress} without ${missing.join(' and ')}`);
  warn();
  const timer = setInterval(warn, INSECURE_WARNING_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

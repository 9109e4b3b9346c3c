import { ConfigError, type Env } from '@hello-es/process';

/** Where a server's TLS material lives, and which variable named each file (for error messages). */
export interface ServerTlsSettings {
  readonly certFile: string;
  readonly certVariable: string;
  readonly keyFile: string;
  readonly keyVariable: string;
  /** Set: mutual TLS, clients must present a certificate signed by this CA. */
  readonly clientCaFile?: string;
  readonly clientCaVariable?: string;
}

function lookup(env: Env, prefix: string, name: string): { variable: string; value: string } | undefined {
  for (const variable of [`${prefix}_${name}`, name]) {
    const value = env[variable]?.trim();
    if (value) return { variable, value };
  }
  return undefined;
}

/**
 * A server's TLS settings. Each of TLS_CERT_FILE, TLS_KEY_FILE and
 * TLS_CLIENT_CA_FILE may be overridden per app with the app's prefix
 * (EVENTLOG_TLS_CERT_FILE, ADDER_TLS_KEY_FILE, …): the prefixed variable wins
 * over the shared one, file by file. Undefined when neither certificate nor
 * key is set (plaintext). One of the two without the other, or a client CA
 * without them, is a ConfigError.
 */
export function readServerTlsSettings(env: Env, appPrefix: string): ServerTlsSettings | undefined {
  const cert = lookup(env, appPrefix, 'TLS_CERT_FILE');
  const key = lookup(env, appPrefix, 'TLS_KEY_FILE');
  const clientCa = lookup(env, appPrefix, 'TLS_CLIENT_CA_FILE');
  if (!cert && !key) {
    if (clientCa) throw new ConfigError(clientCa.variable, 'needs TLS_CERT_FILE and TLS_KEY_FILE as well');
    return undefined;
  }
  if (!cert) throw new ConfigError(`${appPrefix}_TLS_CERT_FILE`, `(or TLS_CERT_FILE) must be set when ${key?.variable} is`);
  if (!key) throw new ConfigError(`${appPrefix}_TLS_KEY_FILE`, `(or TLS_KEY_FILE) must be set when ${cert.variable} is`);
  return {
    certFile: cert.value,
    certVariable: cert.variable,
    keyFile: key.value,
    keyVariable: key.variable,
    ...(clientCa ? { clientCaFile: clientCa.value, clientCaVariable: clientCa.variable } : {}),
  };
}

/** How a client (the reducers) reaches the event log over TLS. */
export interface ClientTlsSettings {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

/**
 * The reducers' connection to the log: EVENTLOG_TLS_CA_FILE (trust; TLS on),
 * EVENTLOG_TLS_CLIENT_CERT_FILE and EVENTLOG_TLS_CLIENT_KEY_FILE (mTLS).
 */
export function readEventLogClientTls(env: Env): ClientTlsSettings | undefined {
  const caFile = env['EVENTLOG_TLS_CA_FILE']?.trim() || undefined;
  const certFile = env['EVENTLOG_TLS_CLIENT_CERT_FILE']?.trim() || undefined;
  const keyFile = env['EVENTLOG_TLS_CLIENT_KEY_FILE']?.trim() || undefined;
  if (!!certFile !== !!keyFile) {
    throw new ConfigError(certFile ? 'EVENTLOG_TLS_CLIENT_KEY_FILE' : 'EVENTLOG_TLS_CLIENT_CERT_FILE', 'must be set together with the other client certificate variable');
  }
  if (!caFile && !certFile) return undefined;
  return { ...(caFile ? { caFile } : {}), ...(certFile ? { certFile, keyFile } : {}) };
}

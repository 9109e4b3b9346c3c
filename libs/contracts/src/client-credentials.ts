import { credentials, InterceptingCall, type ChannelCredentials, type Interceptor } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';

/** PEM files for a TLS client: trust (`caFile`) and, for mutual TLS, its own certificate and key. */
export interface ClientTlsFiles {
  /** CA bundle to trust; unset: the system's roots. */
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

export interface ClientSecurityOptions {
  /** Ready credentials; wins over `tls`. */
  readonly credentials?: ChannelCredentials;
  readonly tls?: ClientTlsFiles;
  /** Sent as `authorization: Bearer <token>` on every call (a client interceptor, so it works on plaintext loopback too). */
  readonly token?: string;
}

/**
 * The channel credentials for `options`: plaintext when neither credentials
 * nor tls is given. Throws (naming the file) when a PEM file cannot be read.
 */
export function clientCredentialsOf(options: ClientSecurityOptions): ChannelCredentials {
  let channel = options.credentials;
  if (!channel && options.tls) {
    const { caFile, certFile, keyFile } = options.tls;
    if (!!certFile !== !!keyFile) throw new Error('tls.certFile and tls.keyFile go together');
    channel = credentials.createSsl(
      caFile ? readFileSync(caFile) : null,
      keyFile ? readFileSync(keyFile) : null,
      certFile ? readFileSync(certFile) : null,
    );
  }
  return channel ?? credentials.createInsecure();
}

/** A client interceptor that adds `authorization: Bearer <token>` to every call's metadata. */
export function bearerTokenInterceptor(token: string): Interceptor {
  const header = `Bearer ${token}`;
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', header);
        next(metadata, listener);
      },
    });
}

/** The client interceptors for `options` (the bearer token, if any). */
export function clientInterceptorsOf(options: ClientSecurityOptions): Interceptor[] {
  return options.token === undefined ? [] : [bearerTokenInterceptor(options.token)];
}

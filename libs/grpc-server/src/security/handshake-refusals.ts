import type { Server } from '@grpc/grpc-js';
import type { EventEmitter } from 'node:events';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '@hello-es/process';
import { OncePerInterval } from './once-per-minute';

/**
 * Logs a refused TLS handshake (no or a wrong client certificate, plaintext
 * against TLS, garbage) once per peer per minute. grpc-js keeps its HTTP/2
 * servers private and only traces `tlsClientError`, so this reaches into its
 * `http2Servers` map (grpc-js 1.14); if that field is gone in a later
 * version it logs once that refusals will not be logged, instead of failing.
 */
export function logRefusedHandshakes(server: Server, logger: Logger): void {
  const servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map)) {
    logger.warn('this grpc-js version hides its HTTP/2 servers: refused TLS handshakes are not logged');
    return;
  }
  const limiter = new OncePerInterval();
  for (const http2Server of servers.keys() as IterableIterator<EventEmitter>) {
    http2Server.on('tlsClientError', (error: Error, socket: TLSSocket) => {
      const address = socket.remoteAddress ?? 'unknown';
      if (limiter.shouldLog(address)) logger.warn({ peer: `${address}:${socket.remotePort ?? '?'}`, problem: error.message }, 'refused TLS handshake');
    });
  }
}

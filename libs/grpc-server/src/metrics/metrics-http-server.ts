import { createServer, type Server } from 'node:http';
import { ConfigError, type Logger } from '@hello-es/process';
import type { Registry } from 'prom-client';

export interface RunningMetricsServer {
  /** What it serves. */
  readonly registry: Registry;
  /** "host:port" with the bound port. */
  readonly address: string;
  readonly port: number;
  /** Stops listening and closes idle keep-alive connections. Idempotent. */
  close(): Promise<void>;
}

/** A scrape answers within this or fails; a collect callback that hangs must not pile up requests. */
export const SCRAPE_TIMEOUT_MS = 10_000;

/**
 * Serves `GET /metrics` (and HEAD) in the Prometheus text format from
 * `registry` on plain HTTP at `address` ("host:port", port 0 picks one).
 * Other paths answer 404, other methods 405. If the address cannot be bound
 * (a port in use) it rejects with a ConfigError naming `variable`, so the app
 * stops at start saying what to change. A failing collect answers 500 with a
 * generic body; the error goes to the log.
 */
export async function startMetricsServer(options: {
  readonly address: string;
  readonly registry: Registry;
  readonly logger: Logger;
  /** The setting the address came from (EVENTLOG_METRICS_LISTEN, …), for the error. */
  readonly variable?: string;
}): Promise<RunningMetricsServer> {
  const { registry, logger } = options;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'collecting metrics failed');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('collecting metrics failed\n');
      },
    );
  });
  server.requestTimeout = SCRAPE_TIMEOUT_MS;
  server.headersTimeout = SCRAPE_TIMEOUT_MS;
  const separator = options.address.lastIndexOf(':');
  const host = options.address.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(options.address.slice(separator + 1));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const problem = `is ${options.address}, where /metrics cannot be served (${error.code ?? error.message}); choose another port, or off`;
      reject(options.variable ? Object.assign(new ConfigError(options.variable, problem), { cause: error }) : new Error(`cannot serve metrics on ${options.address}: ${error.message}`, { cause: error }));
    });
    server.listen(port, host, () => resolve());
  });
  const bound = server.address();
  const boundPort = typeof bound === 'object' && bound ? bound.port : port;
  const address = `${options.address.slice(0, separator)}:${boundPort}`;
  // Not "listening": that line names the gRPC address (test-support waits for it).
  logger.info({ metrics: `http://${address}/metrics` }, 'serving metrics');
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return { registry, address, port: boundPort, close };
}

import { readListenAddress, type Env, type Setting } from '@hello-es/process';
import { ConfigError } from '@hello-es/process';
import { isLoopbackHost } from '../security/protected-mode';

/** What a *_METRICS_LISTEN variable says: a "host:port", or `off`. */
export type MetricsListen = string | undefined;

/**
 * The first metrics port (the event log's); the reducers take the next ones
 * in the order of their gRPC ports (see {@link defaultMetricsListenFor}).
 * 9464 is the port the OpenTelemetry Prometheus exporter uses by default.
 */
export const FIRST_METRICS_PORT = 9464;

/**
 * Reads `variable`: `off` (no endpoint), or "host:port" (port 0 picks a free
 * one). Off loopback it needs INSECURE=1, as the gRPC port does in protected
 * mode: /metrics is plain HTTP without authentication. Throws a ConfigError
 * naming the variable.
 */
export function readMetricsListen(env: Env, variable: string, fallback: string): MetricsListen {
  const raw = env[variable]?.trim() || fallback;
  if (raw.toLowerCase() === 'off') return undefined;
  const address = readListenAddress({ [variable]: raw }, variable, fallback);
  if (!isLoopbackHost(address) && env['INSECURE']?.trim() !== '1') {
    throw new ConfigError(
      variable,
      `is ${address}, not a loopback address: /metrics is plain HTTP without authentication; set INSECURE=1 to serve it there, or scrape it through a proxy on this host`,
    );
  }
  return address;
}

/**
 * The default metrics address of a server whose gRPC default is
 * `defaultGrpcListen`: 127.0.0.1:9464 for the event log (50051), then one port
 * per gRPC port above it (adder 50052 → 9465, multiplier 50053 → 9466, stats
 * 50054 → 9467, a generated reducer on 50055 → 9468), so `nx run-many -t
 * serve` starts every app with its own metrics port and no setting. `off`
 * for a gRPC default outside 50051-50150.
 */
export function defaultMetricsListenFor(defaultGrpcListen: string): string {
  const port = Number(defaultGrpcListen.slice(defaultGrpcListen.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port < 50_051 || port > 50_150) return 'off';
  return `127.0.0.1:${FIRST_METRICS_PORT + port - 50_051}`;
}

/** The settings-table row of a *_METRICS_LISTEN variable. */
export function metricsListenSetting(variable: string, fallback: string): Setting {
  return {
    variable,
    default: fallback,
    meaning: 'host:port of the Prometheus /metrics endpoint (plain HTTP; off loopback needs INSECURE=1), or off',
  };
}

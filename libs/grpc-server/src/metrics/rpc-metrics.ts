import { status, type ServiceDefinition } from '@grpc/grpc-js';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { isGrpcStatusError } from '../status-error';
import type { ServerInterceptor } from '../interceptors/server-interceptor';
import { METRICS_NAMESPACE } from './metrics-registry';

/** The label value of every call to a method no service definition names (bounded cardinality). */
export const OTHER_METHOD = 'other';

/** Seconds; from a cached unary read (well under 1 ms) to a stream that lived for minutes. */
export const RPC_DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 300];

interface MethodSeries {
  readonly started: Counter.Internal;
  readonly handling: Histogram.Internal<string>;
  readonly open: Gauge.Internal<string>;
  readonly handled: Map<status, Counter.Internal>;
  readonly labels: { readonly service: string; readonly method: string };
}

/**
 * The RPC metrics interceptor, in the manner of go-grpc-prometheus:
 * `hello_es_grpc_server_started_total`, `…_handled_total{code}`,
 * `…_handling_seconds` and `…_streams_open`, labelled by service and method.
 * Label values are bounded: methods come from `services` (a path no
 * definition names counts as method "other"), codes are grpc status names.
 * Every known method's series exist from the start at 0, so `rate()` and
 * absent-alerts work before the first call. Calls refused by an earlier
 * interceptor of the chain are counted only if this one is outside it: put it
 * first.
 */
export function rpcMetrics(registry: Registry, services: readonly ServiceDefinition[]): ServerInterceptor {
  const prefix = `${METRICS_NAMESPACE}_grpc_server`;
  const started = new Counter({
    name: `${prefix}_started_total`,
    help: 'RPCs started on the server, by service and method.',
    labelNames: ['service', 'method'],
    registers: [registry],
  });
  const handled = new Counter({
    name: `${prefix}_handled_total`,
    help: 'RPCs completed on the server, by service, method and gRPC status code name.',
    labelNames: ['service', 'method', 'code'],
    registers: [registry],
  });
  const handling = new Histogram({
    name: `${prefix}_handling_seconds`,
    help: 'Time from the start of an RPC to its final status (for a stream: its whole life), by service and method.',
    labelNames: ['service', 'method'],
    buckets: RPC_DURATION_BUCKETS,
    registers: [registry],
  });
  const open = new Gauge({
    name: `${prefix}_streams_open`,
    help: 'Streaming RPCs (Subscribe, Read, WatchState, AppendStream) open now, by service and method.',
    labelNames: ['service', 'method'],
    registers: [registry],
  });
  const seriesFor = (service: string, method: string): MethodSeries => {
    const labels = { service, method };
    // A child alone shows no sample: set each series to 0 so it exists before the first call.
    started.inc(labels, 0);
    handled.inc({ ...labels, code: 'OK' }, 0);
    handling.zero(labels);
    open.set(labels, 0);
    const series: MethodSeries = {
      started: started.labels(labels),
      handling: handling.labels(labels),
      open: open.labels(labels),
      handled: new Map([[status.OK, handled.labels({ ...labels, code: 'OK' })]]),
      labels,
    };
    return series;
  };
  const byPath = new Map<string, MethodSeries>();
  for (const definition of services) {
    for (const method of Object.values(definition)) {
      const slash = method.path.lastIndexOf('/');
      byPath.set(method.path, seriesFor(method.path.slice(1, slash), method.path.slice(slash + 1)));
    }
  }
  let other: MethodSeries | undefined;
  const handledFor = (series: MethodSeries, code: status): Counter.Internal => {
    let child = series.handled.get(code);
    if (!child) {
      child = handled.labels({ ...series.labels, code: codeName(code) });
      series.handled.set(code, child);
    }
    return child;
  };
  return {
    name: 'rpc-metrics',
    async intercept(call, next) {
      const series = byPath.get(call.path) ?? (other ??= seriesFor(OTHER_METHOD, OTHER_METHOD));
      const streaming = call.kind !== 'unary';
      const startedAt = performance.now();
      series.started.inc();
      if (streaming) series.open.inc();
      let code: status = status.OK;
      try {
        await next();
      } catch (error: unknown) {
        code = isGrpcStatusError(error) ? error.code : status.UNKNOWN;
        throw error;
      } finally {
        if (streaming) series.open.dec();
        series.handling.observe((performance.now() - startedAt) / 1000);
        handledFor(series, code).inc();
      }
    },
  };
}

/** "OK", "INVALID_ARGUMENT", …; a number outside the enum is "UNKNOWN" (the label stays bounded). */
function codeName(code: status): string {
  const name = (status as unknown as Record<number, string | undefined>)[code];
  return typeof name === 'string' ? name : 'UNKNOWN';
}

import { status, type ServiceDefinition } from '@grpc/grpc-js';
import type { Registry } from 'prom-client';
import { isGrpcStatusError } from '../status-error';
import type { ServerInterceptor } from '../interceptors/server-interceptor';
import { METRICS_NAMESPACE } from './metrics-registry';
import { HistogramCells, registerScrapeTimeFamily, type FamilySample } from './scrape-time-family';

/** The label value of every call to a method no service definition names (bounded cardinality). */
export const OTHER_METHOD = 'other';

/** Seconds; from a cached unary read (well under 1 ms) to a stream that lived for minutes. */
export const RPC_DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 300];

/** One method's numbers, kept as plain fields: the per-call cost is a few additions. */
interface MethodSeries {
  readonly labels: { readonly service: string; readonly method: string };
  started: number;
  open: number;
  /** Calls completed, by status code (OK always present). */
  readonly handled: Map<status, number>;
  readonly handling: HistogramCells;
}

/**
 * The RPC metrics interceptor, in the manner of go-grpc-prometheus:
 * `hello_es_grpc_server_started_total`, `…_handled_total{code}`,
 * `…_handling_seconds` and `…_streams_open`, labelled by service and method.
 * Label values are bounded: methods come from `services` (a path no
 * definition names counts as service and method "other"), codes are grpc
 * status names. Every known method's series exist from the start at 0, so
 * `rate()` and absence alerts work before the first call. Put it first in
 * the chain: calls an earlier interceptor refuses are not counted.
 */
export function rpcMetrics(registry: Registry, services: readonly ServiceDefinition[]): ServerInterceptor {
  const prefix = `${METRICS_NAMESPACE}_grpc_server`;
  const seriesFor = (service: string, method: string): MethodSeries => ({
    labels: { service, method },
    started: 0,
    open: 0,
    handled: new Map([[status.OK, 0]]),
    handling: new HistogramCells(RPC_DURATION_BUCKETS),
  });
  const byPath = new Map<string, MethodSeries>();
  for (const definition of services) {
    for (const method of Object.values(definition)) {
      const slash = method.path.lastIndexOf('/');
      byPath.set(method.path, seriesFor(method.path.slice(1, slash), method.path.slice(slash + 1)));
    }
  }
  let other: MethodSeries | undefined;
  const all = (): MethodSeries[] => [...byPath.values(), ...(other ? [other] : [])];
  const each = (sample: (series: MethodSeries) => FamilySample[]) => () => all().flatMap(sample);
  registerScrapeTimeFamily(registry, {
    name: `${prefix}_started_total`,
    help: 'RPCs started on the server, by service and method.',
    type: 'counter',
    samples: each((series) => [{ labels: series.labels, value: series.started }]),
  });
  registerScrapeTimeFamily(registry, {
    name: `${prefix}_handled_total`,
    help: 'RPCs completed on the server, by service, method and gRPC status code name.',
    type: 'counter',
    samples: each((series) => [...series.handled].map(([code, value]) => ({ labels: { ...series.labels, code: codeName(code) ?? 'UNKNOWN' }, value }))),
  });
  registerScrapeTimeFamily(registry, {
    name: `${prefix}_handling_seconds`,
    help: 'Time from the start of an RPC to its final status (for a stream: its whole life), by service and method.',
    type: 'histogram',
    samples: each((series) => series.handling.samples(`${prefix}_handling_seconds`, series.labels)),
  });
  registerScrapeTimeFamily(registry, {
    name: `${prefix}_streams_open`,
    help: 'Streaming RPCs (Subscribe, Read, WatchState, AppendStream) open now, by service and method.',
    type: 'gauge',
    samples: each((series) => [{ labels: series.labels, value: series.open }]),
  });
  return {
    name: 'rpc-metrics',
    async intercept(call, next) {
      const series = byPath.get(call.path) ?? (other ??= seriesFor(OTHER_METHOD, OTHER_METHOD));
      const streaming = call.kind !== 'unary';
      const startedAt = performance.now();
      series.started += 1;
      if (streaming) series.open += 1;
      let code: status = status.OK;
      try {
        await next();
      } catch (error: unknown) {
        code = isGrpcStatusError(error) && codeName(error.code) !== undefined ? error.code : status.UNKNOWN;
        throw error;
      } finally {
        if (streaming) series.open -= 1;
        series.handling.observe((performance.now() - startedAt) / 1000);
        series.handled.set(code, (series.handled.get(code) ?? 0) + 1);
      }
    },
  };
}

/** "OK", "INVALID_ARGUMENT", …; undefined for a number outside the enum (counted as UNKNOWN: the label stays bounded). */
function codeName(code: status): string | undefined {
  const name = (status as unknown as Record<number, string | undefined>)[code];
  return typeof name === 'string' ? name : undefined;
}

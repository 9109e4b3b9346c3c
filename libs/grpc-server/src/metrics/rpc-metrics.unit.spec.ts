import { Metadata, status } from '@grpc/grpc-js';
import { EventLogServiceService } from '@hello-es/contracts';
import { parsePrometheusText } from '@hello-es/test-support';
import { GrpcStatusError } from '../status-error';
import type { CallContext, CallKind } from '../interceptors/server-interceptor';
import { createMetricsRegistry } from './metrics-registry';
import { OTHER_METHOD, rpcMetrics } from './rpc-metrics';

/** Every method of EventLogService, from its definition: "Append", "Read", … */
const KNOWN = Object.values(EventLogServiceService).map((method) => method.path.slice(method.path.lastIndexOf('/') + 1));

function callTo(path: string, kind: CallKind = 'unary'): CallContext {
  const slash = path.lastIndexOf('/');
  return {
    path,
    service: path.slice(1, slash),
    method: path.slice(slash + 1),
    kind,
    metadata: new Metadata(),
    peer: 'ipv4:127.0.0.1:1',
    signal: new AbortController().signal,
    end: () => undefined,
  };
}

describe('the RPC metrics interceptor', () => {
  it('has a zero series for every method of the service before any call', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    rpcMetrics(registry, [EventLogServiceService]);
    const parsed = parsePrometheusText(await registry.metrics());
    const methods = parsed.find('hello_es_grpc_server_handled_total').map((sample) => sample.labels['method']);
    expect(methods.sort()).toEqual([...KNOWN].sort());
    expect(KNOWN).toEqual(expect.arrayContaining(['Append', 'Read', 'Subscribe', 'GetLogInfo', 'ListSubscriptions']));
    expect(parsed.value('hello_es_grpc_server_handled_total')).toBe(0);
    expect(parsed.types.get('hello_es_grpc_server_handling_seconds')).toBe('histogram');
  });

  it('counts by method and status code name, and times each call', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const interceptor = rpcMetrics(registry, [EventLogServiceService]);
    const append = callTo('/eventlog.v1.EventLogService/Append');
    await interceptor.intercept(append, async () => undefined);
    await interceptor.intercept(append, async () => undefined);
    await expect(interceptor.intercept(append, () => Promise.reject(new GrpcStatusError(status.INVALID_ARGUMENT, 'no')))).rejects.toThrow('no');
    await expect(interceptor.intercept(append, () => Promise.reject(new Error('not a status')))).rejects.toThrow('not a status');
    await expect(interceptor.intercept(append, () => Promise.reject(new GrpcStatusError(99 as status, 'odd')))).rejects.toThrow('odd');
    const text = await registry.metrics();
    const parsed = parsePrometheusText(text);
    expect(parsed.value('hello_es_grpc_server_handled_total', { method: 'Append', code: 'OK' })).toBe(2);
    expect(parsed.value('hello_es_grpc_server_handled_total', { method: 'Append', code: 'INVALID_ARGUMENT' })).toBe(1);
    expect(parsed.value('hello_es_grpc_server_handled_total', { method: 'Append', code: 'UNKNOWN' })).toBe(2);
    expect(parsed.find('hello_es_grpc_server_handled_total', { method: 'Append', code: 'UNKNOWN' })).toHaveLength(1);
    expect(parsed.value('hello_es_grpc_server_started_total', { method: 'Append' })).toBe(5);
    expect(parsed.value('hello_es_grpc_server_handling_seconds_count', { method: 'Append' })).toBe(5);
    // Cumulative buckets: the +Inf bucket holds every call, and no bucket holds more than the next.
    const buckets = parsed.find('hello_es_grpc_server_handling_seconds_bucket', { method: 'Append' }).map((sample) => sample.value);
    expect(buckets[buckets.length - 1]).toBe(5);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(text).toContain('hello_es_grpc_server_handling_seconds_bucket{service="eventlog.v1.EventLogService",method="Append",le="0.0001"}');
    expect(parsed.types.get('hello_es_grpc_server_started_total')).toBe('counter');
    expect(parsed.help.get('hello_es_grpc_server_started_total')).toMatch(/RPCs started/);
  });

  it('keeps a stream open in the gauge until it ends', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const interceptor = rpcMetrics(registry, [EventLogServiceService]);
    let end = (): void => undefined;
    const running = interceptor.intercept(callTo('/eventlog.v1.EventLogService/Subscribe', 'server-streaming'), () => new Promise<void>((resolve) => (end = resolve)));
    expect(parsePrometheusText(await registry.metrics()).value('hello_es_grpc_server_streams_open', { method: 'Subscribe' })).toBe(1);
    end();
    await running;
    expect(parsePrometheusText(await registry.metrics()).value('hello_es_grpc_server_streams_open', { method: 'Subscribe' })).toBe(0);
  });

  it('counts calls to methods no service definition names under one "other" label value, however many names there are', async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const interceptor = rpcMetrics(registry, [EventLogServiceService]);
    for (let index = 0; index < 50; index += 1) await interceptor.intercept(callTo(`/evil.Service/Method${index}`), async () => undefined);
    const parsed = parsePrometheusText(await registry.metrics());
    const methods = new Set(parsed.find('hello_es_grpc_server_handled_total').map((sample) => sample.labels['method']));
    expect([...methods].sort()).toEqual([...KNOWN, OTHER_METHOD].sort());
    expect(parsed.value('hello_es_grpc_server_handled_total', { method: OTHER_METHOD, service: OTHER_METHOD, code: 'OK' })).toBe(50);
    const codes = new Set(parsed.find('hello_es_grpc_server_handled_total').map((sample) => sample.labels['code']));
    expect([...codes]).toEqual(['OK']);
  });
});

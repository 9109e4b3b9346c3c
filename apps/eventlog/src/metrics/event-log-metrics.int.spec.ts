/**
 * The event log's /metrics, scraped over HTTP and parsed as Prometheus
 * would: after a known workload every counter moved by exactly the work done.
 */
import { callUnary, createEventLogClient, type EventLogServiceClient } from '@hello-es/contracts';
import { createMetricsRegistry, startMetricsServer, type RunningMetricsServer } from '@hello-es/grpc-server';
import { makeTempDir, parsePrometheusText, removeTempDir, scrapeMetrics, waitFor } from '@hello-es/test-support';
import pino from 'pino';
import { readEventLogConfig } from '../config';
import { startEventLogServer, type RunningEventLogServer } from '../event-log-server';
import { SubscriptionRegistry } from '../service/subscription-registry';
import type { LogStore } from '../store/log-store';
import { SubscriptionReader } from '../testing/subscription-reader';
import { createEventLogMetrics, MAX_SUBSCRIBER_NAME_LABELS, OTHER_SUBSCRIBER } from './event-log-metrics';

const logger = pino({ level: 'silent' });

describe('the event log metrics endpoint', () => {
  let dataDir: string;
  let server: RunningEventLogServer;
  let metricsServer: RunningMetricsServer;
  let client: EventLogServiceClient;

  beforeAll(async () => {
    dataDir = await makeTempDir('eventlog-metrics-');
    const registry = createMetricsRegistry();
    server = await startEventLogServer(readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir }), logger, { metrics: registry });
    metricsServer = await startMetricsServer({ address: '127.0.0.1:0', registry, logger });
    client = createEventLogClient(server.address);
  });

  afterAll(async () => {
    client.close();
    await server.shutdown();
    await metricsServer.close();
    await removeTempDir(dataDir);
  });

  it('counts appends, events, retries and fdatasyncs exactly, and shows the head and the subscriptions', async () => {
    const before = await scrapeMetrics(metricsServer.address);
    expect(before.value('hello_es_eventlog_appends_total')).toBe(0);
    expect(before.value('hello_es_grpc_server_handled_total', { method: 'Append', code: 'OK' })).toBe(0);
    expect(before.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);

    // 10 appends of 100 values, concurrently (so some share a group commit), one keyed.
    const values = Array.from({ length: 100 }, (_, index) => BigInt(index));
    await Promise.all(
      Array.from({ length: 10 }, (_, index) => callUnary(client.append.bind(client), { values, idempotencyKey: index === 0 ? 'k-1' : '' })),
    );
    const retry = await callUnary(client.append.bind(client), { values, idempotencyKey: 'k-1' });
    expect(retry.duplicate).toBe(true);
    await expect(callUnary(client.append.bind(client), { values: [1n], expectedNextOffset: 5n, idempotencyKey: '' })).rejects.toMatchObject({ code: 9 });
    const reader = new SubscriptionReader(client, 0n, 'metrics-test');
    await reader.waitForEvents(1_000);
    await waitFor(() => reader.caughtUp.length > 0, { description: 'caught up', timeoutMs: 5_000 });

    const after = await scrapeMetrics(metricsServer.address);
    expect(after.types.get('hello_es_eventlog_appends_total')).toBe('counter');
    expect(after.value('hello_es_eventlog_appends_total')).toBe(10);
    expect(after.value('hello_es_eventlog_append_events_total')).toBe(1_000);
    expect(after.value('hello_es_eventlog_append_duplicates_total')).toBe(1);
    expect(after.value('hello_es_eventlog_storage_failures_total')).toBe(0);
    expect(after.value('hello_es_eventlog_next_offset')).toBe(1_000);
    const groups = after.value('hello_es_eventlog_group_commit_events_count') ?? 0;
    expect(groups).toBeGreaterThanOrEqual(1);
    expect(groups).toBeLessThanOrEqual(10);
    expect(after.value('hello_es_eventlog_group_commit_events_sum')).toBe(1_000);
    expect(after.value('hello_es_eventlog_group_commit_appends_sum')).toBe(10);
    // One fdatasync of events.log per group; keys.log only for the group with the key.
    expect(after.value('hello_es_eventlog_fdatasync_seconds_count', { file: 'events' })).toBe(groups);
    expect(after.value('hello_es_eventlog_fdatasync_seconds_count', { file: 'keys' })).toBe(1);
    expect(after.value('hello_es_eventlog_fdatasync_seconds_sum', { file: 'events' })).toBeGreaterThan(0);
    expect(after.value('hello_es_eventlog_fdatasync_seconds_bucket', { file: 'events', le: '+Inf' })).toBe(groups);
    expect(after.value('hello_es_eventlog_subscriptions_open')).toBe(1);
    expect(after.value('hello_es_eventlog_subscription_lag_events', { subscriber_name: 'metrics-test' })).toBe(0);
    expect(after.value('hello_es_eventlog_subscription_max_lag_events')).toBe(0);
    // The RPC interceptor: 11 OK appends, one FAILED_PRECONDITION, one open Subscribe.
    expect(after.value('hello_es_grpc_server_handled_total', { method: 'Append', code: 'OK' })).toBe(11);
    expect(after.value('hello_es_grpc_server_handled_total', { method: 'Append', code: 'FAILED_PRECONDITION' })).toBe(1);
    expect(after.value('hello_es_grpc_server_handling_seconds_count', { method: 'Append' })).toBe(12);
    expect(after.value('hello_es_grpc_server_started_total', { service: 'eventlog.v1.EventLogService', method: 'Subscribe' })).toBe(1);
    expect(after.value('hello_es_grpc_server_streams_open', { method: 'Subscribe' })).toBe(1);

    await reader.cancel();
    await waitFor(() => server.registry.size === 0, { description: 'the subscription to end', timeoutMs: 5_000 });
    const ended = await scrapeMetrics(metricsServer.address);
    expect(ended.value('hello_es_eventlog_subscriptions_open')).toBe(0);
    expect(ended.find('hello_es_eventlog_subscription_lag_events')).toEqual([]);
    expect(ended.value('hello_es_grpc_server_handled_total', { method: 'Subscribe', code: 'CANCELLED' })).toBe(1);
    expect(ended.value('hello_es_grpc_server_streams_open', { method: 'Subscribe' })).toBe(0);
  });

  it('answers 404 off /metrics and 405 to a POST', async () => {
    expect((await fetch(`http://${metricsServer.address}/`)).status).toBe(404);
    expect((await fetch(`http://${metricsServer.address}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('the subscription lag metric', () => {
  it(`gives the first ${MAX_SUBSCRIBER_NAME_LABELS} subscriber names a label each and the rest "${OTHER_SUBSCRIBER}", with the largest lag`, async () => {
    const registry = createMetricsRegistry({ defaultMetrics: false });
    const metrics = createEventLogMetrics(registry);
    const subscriptions = new SubscriptionRegistry();
    metrics.watch({ nextOffset: () => 100n } as LogStore, subscriptions);
    for (let index = 0; index < MAX_SUBSCRIBER_NAME_LABELS + 10; index += 1) subscriptions.add(`reader-${index}`, 'peer', BigInt(index));
    subscriptions.add('reader-0', 'peer', 90n);
    subscriptions.add('', 'peer', 100n);
    const text = await registry.metrics();
    const parsed = parsePrometheusText(text);
    const series = parsed.find('hello_es_eventlog_subscription_lag_events');
    // 32 names of their own (reader-0 … reader-31) plus "other"; "unnamed" came after the cap.
    expect(series).toHaveLength(MAX_SUBSCRIBER_NAME_LABELS + 1);
    expect(parsed.value('hello_es_eventlog_subscription_lag_events', { subscriber_name: 'reader-0' })).toBe(100);
    expect(parsed.value('hello_es_eventlog_subscription_lag_events', { subscriber_name: 'reader-31' })).toBe(69);
    expect(parsed.value('hello_es_eventlog_subscription_lag_events', { subscriber_name: OTHER_SUBSCRIBER })).toBe(68);
    expect(parsed.value('hello_es_eventlog_subscription_max_lag_events')).toBe(100);
    expect(parsed.value('hello_es_eventlog_subscriptions_open')).toBe(MAX_SUBSCRIBER_NAME_LABELS + 12);
  });
});

import { open } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { status, type ServiceError } from '@grpc/grpc-js';
import { callUnary, createEventLogClient, type AppendResponse, type EventLogServiceClient } from '@hello-es/contracts';
import { makeTempDir, metricsAddressOf, removeTempDir, scrapeMetrics, spawnApp, waitFor, type SpawnedApp } from '@hello-es/test-support';
import { HEADER_BYTES, RECORD_BYTES } from './store/file/record-format';
import { readAll } from './testing/event-log-contract';
import { SubscriptionReader } from './testing/subscription-reader';

interface Acknowledged {
  readonly values: bigint[];
  readonly key: string;
  readonly response: AppendResponse;
}

describe('the eventlog process', () => {
  let dataDir: string;
  const apps: SpawnedApp[] = [];
  const clients: EventLogServiceClient[] = [];
  const start = async (env: Record<string, string> = {}): Promise<{ app: SpawnedApp; client: EventLogServiceClient }> => {
    const app = await spawnApp('eventlog', { env: { EVENTLOG_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir, ...env } });
    apps.push(app);
    const client = createEventLogClient(app.address);
    clients.push(client);
    return { app, client };
  };
  const events = async (client: EventLogServiceClient) =>
    (await readAll(client, 0n)).flatMap((message) => message.events.map((event) => ({ offset: event.offset, value: event.value })));

  beforeEach(async () => {
    dataDir = await makeTempDir('eventlog-e2e-');
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const app of apps.splice(0)) await app.kill();
    await removeTempDir(dataDir);
  });

  /**
   * Proves durability: every append acknowledged before a kill -9 is there
   * after the restart with its offsets and values, offsets stay dense, and
   * retrying keyed appends (acknowledged or not) never appends twice.
   */
  it('keeps every acknowledged event through kill -9 during concurrent appends', async () => {
    const acknowledged: Acknowledged[] = [];
    const attempted: { values: bigint[]; key: string }[] = [];
    for (let round = 0; round < 2; round += 1) {
      const { app, client } = await start();
      let stop = false;
      const writers = Array.from({ length: 16 }, async (_, writer) => {
        for (let index = 0; !stop; index += 1) {
          const values = Array.from({ length: 1 + (index % 3 === 0 ? 50 : 0) }, (__, at) => BigInt(writer * 1_000_000 + index * 100 + at));
          const key = writer % 2 === 0 ? `r${round}-w${writer}-${index}` : '';
          attempted.push({ values, key });
          try {
            const response = await callUnary(client.append.bind(client), { values, idempotencyKey: key }, { timeoutMs: 20_000 });
            acknowledged.push({ values, key, response });
          } catch {
            return;
          }
        }
      });
      await waitFor(() => acknowledged.length >= 300 * (round + 1), { description: 'acknowledged appends', timeoutMs: 30_000 });
      await app.kill();
      stop = true;
      await Promise.all(writers);
    }
    const { client } = await start();
    const stored = await events(client);
    expect(stored.map((event) => event.offset)).toEqual(stored.map((_, index) => BigInt(index)));
    for (const { values, response } of acknowledged) {
      expect(stored.slice(Number(response.firstOffset), Number(response.nextOffset)).map((event) => event.value)).toEqual(values);
    }
    let appendedByRetries = 0;
    for (const { values, key } of attempted.filter((attempt) => attempt.key !== '')) {
      const retry = await callUnary(client.append.bind(client), { values, idempotencyKey: key });
      const earlier = acknowledged.find((ack) => ack.key === key);
      if (earlier) expect(retry).toEqual({ ...earlier.response, duplicate: true });
      else if (retry.duplicate) {
        // Durable before the kill although never acknowledged: must be intact.
        expect(stored.slice(Number(retry.firstOffset), Number(retry.nextOffset)).map((event) => event.value)).toEqual(values);
      } else appendedByRetries += values.length;
      expect(await callUnary(client.append.bind(client), { values, idempotencyKey: key })).toEqual({ ...retry, duplicate: true });
    }
    const info = await callUnary(client.getLogInfo.bind(client), {});
    expect(info.nextOffset).toBe(BigInt(stored.length + appendedByRetries));
    // Thousands of real calls and process restarts: minutes on a loaded 2-core machine, not 30 s.
  }, 120_000);

  it('recovers from a torn tail it finds at start, logging what it dropped', async () => {
    const first = await start();
    await callUnary(first.client.append.bind(first.client), { values: [1n, 2n, 3n], idempotencyKey: '' });
    expect(await first.app.stop()).toBe(0);
    const file = await open(join(dataDir, 'eventlog', 'events.log'), 'a');
    await file.write(Buffer.alloc(RECORD_BYTES + 7, 0xab));
    await file.close();
    const second = await start();
    expect(second.app.output.join('\n')).toMatch(/"bytes":39.*cut off a damaged tail/);
    expect((await events(second.client)).map((event) => event.value)).toEqual([1n, 2n, 3n]);
  });

  it('refuses to start on a record damaged before the tail, naming the file and offset', async () => {
    const first = await start();
    for (let index = 0; index < 5; index += 1) {
      await callUnary(first.client.append.bind(first.client), { values: [BigInt(index)], idempotencyKey: '' });
    }
    expect(await first.app.stop()).toBe(0);
    const path = join(dataDir, 'eventlog', 'events.log');
    const file = await open(path, 'r+');
    await file.write(Buffer.from([0x01]), 0, 1, HEADER_BYTES + RECORD_BYTES * 1 + 2);
    await file.close();
    await expect(start()).rejects.toThrow(`corrupt event log ${path} at offset 1: checksum mismatch`);
  });

  it('ends subscriptions with UNAVAILABLE and exits 0 on SIGTERM', async () => {
    const { app, client } = await start({ EVENTLOG_SEED: '1,1,1,1,2' });
    const reader = new SubscriptionReader(client, 0n);
    await waitFor(() => reader.caughtUp.length === 1, { description: 'caught_up', timeoutMs: 20_000 });
    expect(reader.events.map((event) => event.value)).toEqual([1n, 1n, 1n, 1n, 2n]);
    expect(await app.stop()).toBe(0);
    await reader.waitForEnd();
    expect(reader.error?.code).toBe(status.UNAVAILABLE);
  });

  it('finishes in-flight appends on SIGTERM and keeps every acknowledged one', async () => {
    const { app, client } = await start();
    const acknowledged: { index: number; response: AppendResponse }[] = [];
    let counter = 0;
    const writers = Array.from({ length: 16 }, async () => {
      for (;;) {
        const index = counter++;
        try {
          acknowledged.push({ index, response: await callUnary(client.append.bind(client), { values: [BigInt(index)], idempotencyKey: '' }) });
        } catch {
          return;
        }
      }
    });
    await waitFor(() => acknowledged.length >= 20, { description: 'appends in flight', timeoutMs: 20_000 });
    const exitCode = app.stop();
    await Promise.all(writers);
    expect(await exitCode).toBe(0);
    const restarted = await start();
    const stored = await events(restarted.client);
    for (const { index, response } of acknowledged) expect(stored[Number(response.firstOffset)]?.value).toBe(BigInt(index));
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
  });

  it('exits 1 naming the variable when the configuration is invalid', async () => {
    await expect(start({ EVENTLOG_MAX_APPEND_VALUES: 'lots' })).rejects.toThrow(/EVENTLOG_MAX_APPEND_VALUES must be a whole number/);
  });

  it('exits 1 naming EVENTLOG_METRICS_LISTEN when it is not host:port or off, or its port is taken', async () => {
    await expect(start({ EVENTLOG_METRICS_LISTEN: 'everywhere' })).rejects.toThrow(/exited \(1\)[\s\S]*EVENTLOG_METRICS_LISTEN must be host:port/);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      await expect(start({ EVENTLOG_METRICS_LISTEN: `127.0.0.1:${port}` })).rejects.toThrow(
        new RegExp(`exited \\(1\\)[\\s\\S]*EVENTLOG_METRICS_LISTEN is 127.0.0.1:${port}, where /metrics cannot be served \\(EADDRINUSE\\)`),
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('serves /metrics where EVENTLOG_METRICS_LISTEN says, counting the appends', async () => {
    const { app, client } = await start({ EVENTLOG_METRICS_LISTEN: '127.0.0.1:0', EVENTLOG_SEED: '1,2,3' });
    // Served before "listening", so known as soon as spawnApp resolves.
    const address = metricsAddressOf(app);
    await callUnary(client.append.bind(client), { values: [4n, 5n], idempotencyKey: '' });
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const metrics = await scrapeMetrics(address);
    // The seed is an append too: 2 appends, 5 events.
    expect(metrics.value('hello_es_eventlog_appends_total')).toBe(2);
    expect(metrics.value('hello_es_eventlog_append_events_total')).toBe(5);
    expect(metrics.value('hello_es_eventlog_next_offset')).toBe(5);
    expect(metrics.value('hello_es_grpc_server_handled_total', { method: 'Append', code: 'OK' })).toBe(1);
    expect(metrics.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('seeds a new log only', async () => {
    const first = await start({ EVENTLOG_SEED: '1,1,1,1,2' });
    expect(await first.app.stop()).toBe(0);
    const second = await start({ EVENTLOG_SEED: '1,1,1,1,2' });
    expect((await callUnary(second.client.getLogInfo.bind(second.client), {})).nextOffset).toBe(5n);
    const ignored = (app: SpawnedApp): string[] => app.output.filter((line) => line.includes('EVENTLOG_SEED ignored'));
    expect(ignored(first.app)).toEqual([]);
    expect(ignored(second.app)).toHaveLength(1);
    expect(ignored(second.app)[0]).toContain('"head":"5"');
    await expect(
      callUnary(second.client.append.bind(second.client), { values: [1n], idempotencyKey: '', expectedNextOffset: 0n }),
    ).rejects.toMatchObject({ code: status.FAILED_PRECONDITION } satisfies Partial<ServiceError>);
  });
});

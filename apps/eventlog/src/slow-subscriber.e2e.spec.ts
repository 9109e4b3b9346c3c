import { callUnary, createEventLogClient, type EventLogServiceClient } from '@hello-es/contracts';
import { makeTempDir, removeTempDir, spawnApp, waitFor, type SpawnedApp } from '@hello-es/test-support';
import type { Client } from '@grpc/grpc-js';
import { residentBytes } from './testing/process-memory';
import { countEncodedEvents, rawSubscribe } from './testing/raw-subscription';

/** The documented bound (docs/eventlog.md) on what one stuck subscriber may add to the server's memory. */
const STUCK_SUBSCRIBER_BOUND_BYTES = 32 * 1024 * 1024;
const BATCH = Array.from({ length: 10_000 }, (_, index) => BigInt((index % 7) - 3));

describe('a subscriber that stops reading', () => {
  let dataDir: string;
  let app: SpawnedApp;
  let client: EventLogServiceClient;
  let raw: Client | undefined;

  beforeEach(async () => {
    dataDir = await makeTempDir('eventlog-slow-');
    app = await spawnApp('eventlog', { env: { EVENTLOG_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir } });
    client = createEventLogClient(app.address);
  });
  afterEach(async () => {
    raw?.close();
    client.close();
    await app.kill();
    await removeTempDir(dataDir);
  });

  const appendMillion = async (): Promise<void> => {
    for (let round = 0; round < 100; round += 1) {
      const response = await callUnary(client.append.bind(client), { values: BATCH, idempotencyKey: '' }, { timeoutMs: 20_000 });
      expect(response.nextOffset - response.firstOffset).toBe(10_000n);
    }
  };

  /**
   * Proves backpressure: while one subscriber reads nothing, a million events
   * are appended; appends keep succeeding, the server's RSS grows by less
   * than the documented bound, and the subscriber then still gets every event.
   */
  it('does not make the server buffer while a million events are appended', async () => {
    const pid = app.process.pid as number;
    await appendMillion(); // warm-up: the server's steady-state heap for this load
    const baseline = await residentBytes(pid);

    const subscription = rawSubscribe(app.address, { fromOffset: 0n, subscriberName: 'stuck' });
    raw = subscription.client;
    let received = 0;
    let first = true;
    subscription.stream.on('data', (message: Buffer) => {
      received += Math.max(0, countEncodedEvents(message));
      if (first) {
        first = false;
        subscription.stream.pause();
      }
    });
    subscription.stream.on('error', () => undefined);
    await waitFor(() => !first, { description: 'the first message', timeoutMs: 20_000 });

    await appendMillion();
    const grown = (await residentBytes(pid)) - baseline;
    const listed = await callUnary(client.listSubscriptions.bind(client), {});
    expect(listed.subscriptions).toHaveLength(1);
    expect(listed.subscriptions[0]?.lag).toBeGreaterThan(1_500_000n);
    expect(grown).toBeLessThan(STUCK_SUBSCRIBER_BOUND_BYTES);

    subscription.stream.resume();
    await waitFor(() => received === 2_000_000, { description: 'every event after resuming', timeoutMs: 60_000 });
    expect(received).toBe(2_000_000);
    // Thousands of real calls and process restarts: minutes on a loaded 2-core machine, not 30 s.
  }, 120_000);
});

import { createAppender, createEventLogClient, isOutcomeUnknown, type EventLogServiceClient } from '@hello-es/contracts';
import { findFreePort, makeTempDir, removeTempDir, spawnApp, type SpawnedApp } from '@hello-es/test-support';
import { readAll } from './testing/event-log-contract';

describe('AppendStream across kill -9', () => {
  let dataDir: string;
  const apps: SpawnedApp[] = [];
  let client: EventLogServiceClient | undefined;

  beforeEach(async () => {
    dataDir = await makeTempDir('append-stream-e2e-');
  });
  afterEach(async () => {
    client?.close();
    for (const app of apps.splice(0)) await app.kill();
    await removeTempDir(dataDir);
  });

  /**
   * Proves the broken-stream contract: appends in flight when the process
   * dies are reported as outcome unknown, and retrying each with its
   * idempotency key after the restart stores every value exactly once,
   * whether or not the first attempt had reached the disk.
   */
  it('lands each of 64 keyed appends exactly once when the unknown ones are retried after a restart', async () => {
    const listen = `127.0.0.1:${await findFreePort()}`;
    const start = async (): Promise<SpawnedApp> => {
      const app = await spawnApp('eventlog', { env: { EVENTLOG_LISTEN: listen, DATA_DIR: dataDir } });
      apps.push(app);
      return app;
    };
    const first = await start();
    client = createEventLogClient(listen);
    const appender = createAppender(client, { reconnectDelayMs: 50, maxReconnectDelayMs: 500, maxReconnectAttempts: 40 });
    await appender.append([-1n], { idempotencyKey: 'warm-up' });

    const keys = Array.from({ length: 64 }, (_, index) => `e2e-${index}`);
    const calls = keys.map((key, index) => appender.append([BigInt(index)], { idempotencyKey: key }));
    expect(appender.inFlight).toBe(64);
    // Killed at the first answer: the server has read some of the rest, some may be durable, none answered.
    await Promise.race(calls.map((call) => call.then(() => undefined, () => undefined)));
    first.process.kill('SIGKILL');
    const outcomes = await Promise.allSettled(calls);
    const unknown = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [index] : []));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(isOutcomeUnknown(outcome.reason)).toBe(true);
    }
    expect(unknown.length).toBeGreaterThan(0);
    await first.exited;

    await start();
    const retried = await Promise.all(unknown.map((index) => appender.append([BigInt(index)], { idempotencyKey: keys[index] as string })));
    expect(retried).toHaveLength(unknown.length);
    await appender.close();

    const stored = (await readAll(client, 0n)).flatMap((message) => message.events.map((event) => event.value));
    expect([...stored].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual([-1n, ...keys.map((_, index) => BigInt(index))]);
  }, 60_000);
});

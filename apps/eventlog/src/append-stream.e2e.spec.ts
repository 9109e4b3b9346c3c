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
   * Proves the broken-stream contract: the 64 appends in flight when the
   * process dies are reported as outcome unknown, and retrying each with its
   * idempotency key after the restart stores every value exactly once,
   * whether or not the first attempt had reached the disk.
   */
  it('lands each value exactly once when the 64 keyed appends in flight at a kill -9 are retried after a restart', async () => {
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

    // 64 writers, each appending keyed values one after another: 64 in flight all the time.
    const unknown: { key: string; value: bigint }[] = [];
    const answered: bigint[] = [];
    let killed = false;
    const writers = Array.from({ length: 64 }, async (_, writer) => {
      for (let index = 0; ; index += 1) {
        const value = BigInt(writer * 1_000_000 + index);
        const key = `e2e-${value}`;
        try {
          await appender.append([value], { idempotencyKey: key });
          answered.push(value);
        } catch (error: unknown) {
          expect(isOutcomeUnknown(error)).toBe(true);
          unknown.push({ key, value });
          return;
        }
        if (answered.length >= 500 && !killed) {
          killed = true;
          first.process.kill('SIGKILL');
        }
      }
    });
    await Promise.all(writers);
    await first.exited;
    // Every writer had one append in flight when the process died.
    expect(unknown).toHaveLength(64);

    await start();
    const retried = await Promise.all(unknown.map(({ key, value }) => appender.append([value], { idempotencyKey: key })));
    expect(retried).toHaveLength(64);
    await appender.close();

    const stored = (await readAll(client, 0n)).flatMap((message) => message.events.map((event) => event.value));
    const byValue = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
    expect([...stored].sort(byValue)).toEqual([-1n, ...answered, ...unknown.map(({ value }) => value)].sort(byValue));
  }, 60_000);
});

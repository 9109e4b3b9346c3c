import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { findFreePort, makeTempDir, metricsAddressOf, removeTempDir, scrapeMetrics, waitFor, type SpawnedApp } from '@hello-es/test-support';
import {
  append,
  CAUGHT_UP,
  checkHealth,
  getState,
  logLines,
  spawnEventLog,
  spawnReducer,
  type ReducerProcessOptions,
} from '@hello-es/reducer-runtime/testing';

const WAIT = { timeoutMs: 30_000 };
const sum = (values: readonly bigint[]): bigint => values.reduce((total, value) => total + value, 0n);

/** The adder (and multiplier) as real processes against the real event log. */
describe('adder against the real event log', () => {
  let dataDir: string;
  let port: number;
  let logAddress: string;
  const apps: SpawnedApp[] = [];

  beforeEach(async () => {
    dataDir = await makeTempDir('adder-e2e-');
    port = await findFreePort();
    logAddress = `127.0.0.1:${port}`;
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.kill()));
    await removeTempDir(dataDir);
  });

  async function track(app: Promise<SpawnedApp>): Promise<SpawnedApp> {
    const started = await app;
    apps.push(started);
    return started;
  }
  const startLog = (seed?: bigint[]) => track(spawnEventLog({ dataDir, port, seed }));
  const startReducer = (name: ReducerProcessOptions['name'] = 'adder', env?: Record<string, string>) =>
    track(spawnReducer({ name, eventLogPort: port, dataDir, env }));
  async function readSnapshot(): Promise<{ nextOffset: string; logId: string } | undefined> {
    try {
      return JSON.parse(await readFile(join(dataDir, 'adder', 'snapshot.json'), 'utf8')) as { nextOffset: string; logId: string };
    } catch {
      return undefined;
    }
  }

  it('starts before the log, reports NOT_SERVING, and catches up when the log arrives', async () => {
    const adder = await startReducer('adder');
    const multiplier = await startReducer('multiplier');
    expect(await checkHealth(adder.address)).toBe('NOT_SERVING');
    expect((await getState(adder.address)).logId).toBe('');
    await startLog([1n, 1n, 1n, 1n, 2n]);
    expect(await getState(adder.address, 5n)).toMatchObject({ reducer: 'adder', value: '6', nextOffset: 5n });
    expect(await getState(multiplier.address, 5n)).toMatchObject({ reducer: 'multiplier', value: '2', nextOffset: 5n });
    await waitFor(async () => (await checkHealth(adder.address)) === 'SERVING', { description: 'adder SERVING', ...WAIT });
    await waitFor(async () => (await checkHealth(multiplier.address)) === 'SERVING', { description: 'multiplier SERVING', ...WAIT });
  });

  it('serves /metrics on ADDER_METRICS_LISTEN: every event applied, lag 0 once caught up', async () => {
    await startLog();
    const adder = await startReducer('adder', { ADDER_METRICS_LISTEN: '127.0.0.1:0' });
    const values = Array.from({ length: 1_000 }, (_, index) => BigInt(index));
    const head = await append(logAddress, values);
    expect(await getState(adder.address, head)).toMatchObject({ value: String(sum(values)), nextOffset: 1_000n });
    const series = { reducer: 'adder' };
    await waitFor(async () => (await scrapeMetrics(metricsAddressOf(adder))).value('hello_es_reducer_caught_up', series) === 1, {
      description: 'caught_up 1',
      ...WAIT,
    });
    const metrics = await scrapeMetrics(metricsAddressOf(adder));
    expect(metrics.value('hello_es_reducer_events_applied_total', series)).toBe(1_000);
    expect(metrics.value('hello_es_reducer_next_offset', series)).toBe(1_000);
    expect(metrics.value('hello_es_reducer_lag_events', series)).toBe(0);
    expect(metrics.value('hello_es_reducer_connected', series)).toBe(1);
    expect(metrics.value('hello_es_grpc_server_handled_total', { method: 'GetState', code: 'OK' })).toBe(1);
    expect(metrics.value('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('exits 1 naming ADDER_METRICS_LISTEN when it is bad', async () => {
    await expect(startReducer('adder', { ADDER_METRICS_LISTEN: '0.0.0.0:9465' })).rejects.toThrow(/exited \(1\)[\s\S]*ADDER_METRICS_LISTEN is 0.0.0.0:9465, not a loopback address/);
  });

  it('sees its own append with min_next_offset right after the append, every time', async () => {
    await startLog();
    const adder = await startReducer();
    const appended: bigint[] = [];
    for (let i = 0; i < 20; i++) {
      const values = [BigInt(i * 7919 - 50_000), 2n ** 62n];
      appended.push(...values);
      const nextOffset = await append(logAddress, values);
      const state = await getState(adder.address, nextOffset);
      expect(state.nextOffset).toBeGreaterThanOrEqual(nextOffset);
      expect(state.value).toBe(sum(appended).toString());
    }
  });

  it('fails GetState with DEADLINE_EXCEEDED when min_next_offset is beyond the head', async () => {
    await startLog([1n]);
    const adder = await startReducer();
    await getState(adder.address, 1n);
    await expect(getState(adder.address, 1_000n, 300)).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
  });

  /** Appends retry with the same idempotency key, so an append whose outcome the kill hid is counted once. */
  it('loses and repeats nothing when the log restarts mid-stream', async () => {
    let log = await startLog();
    const adder = await startReducer();
    const batches = Array.from({ length: 40 }, (_, b) => Array.from({ length: 50 }, (_, i) => BigInt(b * 1_000 + i - 700)));
    const appendWithRetry = async (values: bigint[], key: string): Promise<bigint> =>
      waitFor(() => append(logAddress, values, key), { description: `append ${key}`, ...WAIT, intervalMs: 50 });
    for (const [b, values] of batches.entries()) {
      if (b === 20) {
        await log.kill();
        log = await startLog();
      }
      await appendWithRetry(values, `batch-${b}`);
    }
    const all = batches.flat();
    const state = await getState(adder.address, BigInt(all.length));
    expect(state).toMatchObject({ value: sum(all).toString(), nextOffset: BigInt(all.length) });
    expect(logLines(adder, 'connected to the event log').length).toBeGreaterThanOrEqual(2);
  });

  it('resumes from its snapshot after kill -9, replaying only the events after it', async () => {
    await startLog();
    const env = { SNAPSHOT_EVERY_EVENTS: '1000' };
    const first = await startReducer('adder', env);
    const before = Array.from({ length: 5_000 }, (_, i) => BigInt(i) * (i % 2 === 0 ? 1n : -3n));
    for (let i = 0; i < before.length; i += 1_000) await append(logAddress, before.slice(i, i + 1_000));
    await getState(first.address, 5_000n);
    await waitFor(async () => (await readSnapshot())?.nextOffset === '5000', { description: 'snapshot at 5000', ...WAIT });
    await first.kill();

    const after = Array.from({ length: 300 }, (_, i) => BigInt(i) - 100n);
    await append(logAddress, after);
    const second = await startReducer('adder', env);
    const state = await getState(second.address, 5_300n);
    expect(state).toMatchObject({ value: sum([...before, ...after]).toString(), nextOffset: 5_300n });
    expect(logLines(second, 'snapshot loaded')[0]).toMatchObject({ nextOffset: '5000' });
    const caughtUp = await waitFor(() => logLines(second, CAUGHT_UP)[0], { description: 'caught up', ...WAIT });
    expect(caughtUp).toMatchObject({ applied: 300, nextOffset: '5300', msg: 'caught up at offset 5300 (300 events applied in this catch-up)' });

    expect(await second.stop()).toBe(0);
    expect(await readSnapshot()).toMatchObject({ nextOffset: '5300' });
  });

  it('sets its snapshot aside and rebuilds when the log is wiped (new log id)', async () => {
    const log = await startLog([1n, 2n, 3n]);
    const adder = await startReducer();
    await getState(adder.address, 3n);
    const oldSnapshot = await waitFor(() => readSnapshot(), { description: 'a snapshot', ...WAIT });
    await log.kill();
    await rm(join(dataDir, 'eventlog'), { recursive: true });
    await startLog([10n, 20n, 30n, 40n]);

    const state = await waitFor(
      async () => {
        const current = await getState(adder.address, 4n);
        return current.logId !== oldSnapshot.logId && current;
      },
      { description: 'the state of the new log', ...WAIT },
    );
    expect(state).toMatchObject({ value: '100', nextOffset: 4n });
    expect(logLines(adder, 'setting the snapshot aside and rebuilding from offset 0')[0]?.['reason']).toMatch(/log id changed/);
    const files = await readdir(join(dataDir, 'adder'));
    const setAside = files.filter((file) => file.startsWith('snapshot.json.set-aside-'));
    expect(setAside).toHaveLength(1);
    expect(JSON.parse(await readFile(join(dataDir, 'adder', setAside[0] as string), 'utf8'))).toMatchObject({
      logId: oldSnapshot.logId,
    });
    expect(existsSync(join(dataDir, 'adder', 'snapshot.json.tmp'))).toBe(false);
  });
});

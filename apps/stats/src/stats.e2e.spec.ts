import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort, makeTempDir, removeTempDir, waitFor, type SpawnedApp } from '@hello-es/test-support';
import { append, getState, logLines, spawnEventLog, spawnReducer } from '@hello-es/reducer-runtime/testing';
import { foldValues } from '@hello-es/reducer-runtime';
import { stats, statsCodec, type StatsJson } from './stats';

const WAIT = { timeoutMs: 30_000 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const expected = (values: readonly bigint[]): StatsJson => JSON.parse(statsCodec.encode(foldValues(stats, values))) as StatsJson;

/** The stats reducer as a real process against the real event log. */
describe('stats against the real event log', () => {
  let dataDir: string;
  let port: number;
  let logAddress: string;
  const apps: SpawnedApp[] = [];

  beforeEach(async () => {
    dataDir = await makeTempDir('stats-e2e-');
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
  const startStats = (env?: Record<string, string>) => track(spawnReducer({ name: 'stats', eventLogPort: port, dataDir, env }));

  it('serves the exact statistics of int64 extremes as JSON, and sees its own append every time', async () => {
    await track(spawnEventLog({ dataDir, port, seed: [1n, 1n, 1n, 1n, 2n] }));
    const app = await startStats();
    const first = await getState(app.address, 5n);
    expect(JSON.parse(first.value)).toEqual({ count: '5', sum: '6', min: '1', max: '2', mean: '6/5' });

    const all = [1n, 1n, 1n, 1n, 2n];
    for (const values of [[INT64_MAX], [INT64_MIN, INT64_MIN], [INT64_MAX, 7n]]) {
      all.push(...values);
      const nextOffset = await append(logAddress, values);
      const state = await getState(app.address, nextOffset);
      expect(state.nextOffset).toBe(nextOffset);
      expect(JSON.parse(state.value)).toEqual(expected(all));
    }
    expect(JSON.parse((await getState(app.address)).value)).toMatchObject({ min: INT64_MIN.toString(), max: INT64_MAX.toString() });
  });

  it('resumes from its snapshot after kill -9 without counting an event twice', async () => {
    await track(spawnEventLog({ dataDir, port }));
    const env = { SNAPSHOT_EVERY_EVENTS: '1000' };
    const first = await startStats(env);
    const before = Array.from({ length: 3_000 }, (_, i) => BigInt(i) * (i % 3 === 0 ? -5n : 2n));
    for (let i = 0; i < before.length; i += 1_000) await append(logAddress, before.slice(i, i + 1_000));
    await getState(first.address, 3_000n);
    const snapshotAt = async (): Promise<string | undefined> => {
      try {
        return (JSON.parse(await readFile(join(dataDir, 'stats', 'snapshot.json'), 'utf8')) as { nextOffset: string }).nextOffset;
      } catch {
        return undefined;
      }
    };
    await waitFor(async () => (await snapshotAt()) === '3000', { description: 'snapshot at 3000', ...WAIT });
    await first.kill();

    const after = [INT64_MAX, INT64_MIN, 42n];
    await append(logAddress, after);
    const second = await startStats(env);
    const state = await getState(second.address, 3_003n);
    expect(JSON.parse(state.value)).toEqual(expected([...before, ...after]));
    expect(logLines(second, 'snapshot loaded')[0]).toMatchObject({ nextOffset: '3000' });
  });
});

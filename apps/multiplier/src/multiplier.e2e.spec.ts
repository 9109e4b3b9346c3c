import { findFreePort, makeTempDir, removeTempDir, type SpawnedApp } from '@hello-es/test-support';
import { append, getState, spawnEventLog, spawnReducer } from '@hello-es/reducer-runtime/testing';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The multiplier as a real process against the real event log: exact, whatever the size. */
describe('multiplier against the real event log', () => {
  let dataDir: string;
  let logAddress: string;
  let multiplier: SpawnedApp;
  const apps: SpawnedApp[] = [];

  beforeAll(async () => {
    dataDir = await makeTempDir('multiplier-e2e-');
    const port = await findFreePort();
    logAddress = `127.0.0.1:${port}`;
    apps.push(await spawnEventLog({ dataDir, port, seed: [1n, 1n, 1n, 1n, 2n] }));
    multiplier = await spawnReducer({ name: 'multiplier', eventLogPort: port, dataDir });
    apps.push(multiplier);
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.kill()));
    await removeTempDir(dataDir);
  });

  it("gives 2 for the original post's log [1,1,1,1,2]", async () => {
    expect(await getState(multiplier.address, 5n)).toMatchObject({ reducer: 'multiplier', value: '2', nextOffset: 5n });
  });

  it('multiplies int64 extremes and negatives exactly', async () => {
    const nextOffset = await append(logAddress, [INT64_MIN, INT64_MAX, -1n, INT64_MIN]);
    const state = await getState(multiplier.address, nextOffset);
    // 2 · (-2^63) · (2^63 - 1) · (-1) · (-2^63): 58 digits, far beyond a double's 17.
    expect(state.value).toBe('-1569275433846670190788806172341447372293901557400124522496');
  });

  it('becomes 0 after a zero and stays exactly 0 after it', async () => {
    const afterZero = await append(logAddress, [0n]);
    expect((await getState(multiplier.address, afterZero)).value).toBe('0');
    const later = await append(logAddress, [INT64_MAX, INT64_MIN, -7n]);
    expect(await getState(multiplier.address, later)).toMatchObject({ value: '0', nextOffset: later });
  });
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort, makeTempDir, readTree, removeTempDir, runAppUntilExit, waitFor, type SpawnedApp } from '@hello-es/test-support';
import { append, getState, spawnEventLog, spawnReducer } from '@hello-es/reducer-runtime/testing';

/**
 * Issue 10: two adders on one DATA_DIR/adder would overwrite each other's
 * snapshots. The built dist/apps/adder/main.js takes a lock on the folder
 * before it reads the snapshot.
 */
describe('one adder per snapshot directory', () => {
  let dataDir: string;
  let port: number;
  const apps: SpawnedApp[] = [];
  const track = async (app: Promise<SpawnedApp>): Promise<SpawnedApp> => {
    const started = await app;
    apps.push(started);
    return started;
  };
  // A snapshot after every event, so the folder holds one to compare.
  const startAdder = () => track(spawnReducer({ name: 'adder', eventLogPort: port, dataDir, env: { SNAPSHOT_EVERY_EVENTS: '1' } }));
  const snapshotOffset = async (): Promise<string | undefined> => {
    try {
      return (JSON.parse(await readFile(join(dataDir, 'adder', 'snapshot.json'), 'utf8')) as { nextOffset: string }).nextOffset;
    } catch {
      return undefined;
    }
  };

  beforeEach(async () => {
    dataDir = await makeTempDir('adder-lock-');
    port = await findFreePort();
    await track(spawnEventLog({ dataDir, port, seed: [1n, 2n, 3n] }));
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.kill()));
    await removeTempDir(dataDir);
  });

  it('refuses a second adder on the same folder, naming it and the holder pid, and changes no byte', async () => {
    const holder = await startAdder();
    expect(await getState(holder.address, 3n)).toMatchObject({ value: '6' });
    await waitFor(async () => (await snapshotOffset()) === '3', { description: 'the snapshot at offset 3' });
    const before = await readTree(join(dataDir, 'adder'));
    const second = await runAppUntilExit('adder', {
      ADDER_LISTEN: '127.0.0.1:0',
      EVENTLOG_URL: `127.0.0.1:${port}`,
      DATA_DIR: dataDir,
    });
    expect(second.code).toBe(1);
    expect(second.output.join('\n')).toContain(
      `data directory ${join(dataDir, 'adder')} is in use by another process (pid ${holder.process.pid})`,
    );
    expect(await readTree(join(dataDir, 'adder'))).toEqual(before);
    // The holder still follows the log.
    await append(`127.0.0.1:${port}`, [4n]);
    expect(await getState(holder.address, 4n)).toMatchObject({ value: '10' });
  });

  it('takes over the lock of an adder killed with -9 and resumes from its snapshot', async () => {
    const killed = await startAdder();
    expect(await getState(killed.address, 3n)).toMatchObject({ value: '6' });
    await waitFor(async () => (await snapshotOffset()) === '3', { description: 'the snapshot at offset 3' });
    await killed.kill();
    expect((await readTree(join(dataDir, 'adder'))).has('LOCK')).toBe(true);
    await append(`127.0.0.1:${port}`, [4n]);
    const next = await startAdder();
    expect(await getState(next.address, 4n)).toMatchObject({ value: '10', nextOffset: 4n });
    const takeover = new RegExp(`"deadPid":${killed.process.pid}.*took over the lock`);
    expect(next.output.join('\n')).toMatch(takeover);
    expect(next.output.join('\n')).toMatch(/"nextOffset":"3".*snapshot loaded/);
  });
});

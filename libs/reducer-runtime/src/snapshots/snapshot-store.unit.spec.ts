import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { SnapshotStore } from './snapshot-store';

const huge = -(2n ** 400n) + 12345n;

describe('SnapshotStore', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await makeTempDir('reducer-snapshot-');
  });
  afterEach(async () => {
    await removeTempDir(dataDir);
  });

  it('loads nothing when no snapshot was written, and creates DATA_DIR/<reducer>/', async () => {
    const store = new SnapshotStore(dataDir, 'adder');
    await expect(store.load()).resolves.toEqual({ kind: 'none' });
    expect(await readdir(dataDir)).toEqual(['adder']);
  });

  it('saves and loads a huge value and offset exactly, leaving no temp file behind', async () => {
    const store = new SnapshotStore(dataDir, 'adder');
    await store.save({ reducer: 'adder', value: huge, nextOffset: 2n ** 60n, logId: 'log-a' });
    await store.save({ reducer: 'adder', value: huge + 1n, nextOffset: 2n ** 60n + 1n, logId: 'log-a' });
    const loaded = await new SnapshotStore(dataDir, 'adder').load();
    expect(loaded).toEqual({
      kind: 'loaded',
      snapshot: { reducer: 'adder', value: huge + 1n, nextOffset: 2n ** 60n + 1n, logId: 'log-a' },
    });
    expect(await readdir(join(dataDir, 'adder'))).toEqual(['snapshot.json']);
    const text = await readFile(store.file, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 1, reducer: 'adder', value: (huge + 1n).toString() });
  });

  it.each([
    ['not JSON', '{"format":1,'],
    ['another reducer', '{"format":1,"reducer":"multiplier","logId":"l","nextOffset":"1","value":"1"}'],
    ['an unknown format', '{"format":9,"reducer":"adder","logId":"l","nextOffset":"1","value":"1"}'],
    ['a rounded value', '{"format":1,"reducer":"adder","logId":"l","nextOffset":"1","value":"1e21"}'],
    ['no log id', '{"format":1,"reducer":"adder","logId":"","nextOffset":"1","value":"1"}'],
  ])('reports a snapshot with %s as unreadable', async (_case, text) => {
    const store = new SnapshotStore(dataDir, 'adder');
    await store.load();
    await writeFile(store.file, text);
    const loaded = await store.load();
    expect(loaded.kind).toBe('unreadable');
  });

  it('sets a snapshot aside by renaming it, keeping its content', async () => {
    const store = new SnapshotStore(dataDir, 'adder', undefined, () => new Date('2026-01-02T03:04:05.678Z'));
    await store.save({ reducer: 'adder', value: 7n, nextOffset: 3n, logId: 'log-a' });
    const before = await readFile(store.file, 'utf8');
    const target = await store.setAside();
    expect(target).toBe(join(dataDir, 'adder', 'snapshot.json.set-aside-2026-01-02T03-04-05-678Z'));
    expect(await readFile(target as string, 'utf8')).toBe(before);
    await expect(store.load()).resolves.toEqual({ kind: 'none' });
    await expect(store.setAside()).resolves.toBeUndefined();
  });

  it('runs a set-aside after the save queued before it, so the old state never lands after', async () => {
    const store = new SnapshotStore(dataDir, 'adder');
    await store.load();
    const saving = store.save({ reducer: 'adder', value: 1n, nextOffset: 1n, logId: 'old-log' });
    const settingAside = store.setAside();
    await saving;
    expect(await settingAside).toBeDefined();
    await expect(store.load()).resolves.toEqual({ kind: 'none' });
  });
});

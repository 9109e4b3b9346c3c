import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { CorruptLog, StorageFailure } from '../../errors';
import { FaultyFileLayer, type StorageFault } from '../../testing/faulty-file-layer';
import type { LogStoreObserver } from '../log-store-observer';
import { FileLogStore, type FileLogStoreOptions } from './file-log-store';
import { HEADER_BYTES, RECORD_BYTES } from './record-format';

describe('FileLogStore', () => {
  let dir: string;
  let logLines: string[];
  const opened: FileLogStore[] = [];
  const logger = () => pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
  const openStore = async (options: Partial<FileLogStoreOptions> = {}): Promise<FileLogStore> => {
    const store = await FileLogStore.open({ dir, logger: logger(), ...options });
    opened.push(store);
    return store;
  };
  const eventsFile = (): string => join(dir, 'events.log');
  const values = async (store: FileLogStore): Promise<bigint[]> => [...(await store.read(0n, 100_000)).values];

  beforeEach(async () => {
    dir = await makeTempDir('eventlog-file-');
    logLines = [];
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close().catch(() => undefined);
    await removeTempDir(dir);
  });

  it('reopens with the same log id, events and remembered idempotency keys', async () => {
    const first = await openStore();
    await first.append({ values: [1n, 2n] });
    const keyed = await first.append({ values: [3n], idempotencyKey: 'k' });
    await first.close();
    const second = await openStore();
    expect(second.logId).toBe(first.logId);
    expect(second.nextOffset()).toBe(3n);
    expect(await values(second)).toEqual([1n, 2n, 3n]);
    expect(await second.append({ values: [3n], idempotencyKey: 'k' })).toEqual({ ...keyed, duplicate: true });
    expect(second.nextOffset()).toBe(3n);
  });

  it('truncates a partial record at the tail and logs how much it dropped', async () => {
    const store = await openStore();
    await store.append({ values: [1n, 2n] });
    await store.close();
    const file = await open(eventsFile(), 'a');
    await file.write(Buffer.alloc(RECORD_BYTES / 2, 7));
    await file.close();
    const reopened = await openStore();
    expect(await values(reopened)).toEqual([1n, 2n]);
    expect((await stat(eventsFile())).size).toBe(HEADER_BYTES + 2 * RECORD_BYTES);
    expect(logLines.join('\n')).toMatch(/"kind":"torn-write".*"bytes":16.*cut off a damaged tail/);
  });

  it('moves a last record with a bad checksum to a side file holding exactly the removed bytes, or refuses', async () => {
    const store = await openStore();
    await store.append({ values: [1n] });
    await store.append({ values: [2n] });
    await store.close();
    const file = await open(eventsFile(), 'r+');
    // Flip the checksum's last byte: writing a fixed 0xff left it intact when it already was 0xff (1 run in 256).
    const crcByte = HEADER_BYTES + 2 * RECORD_BYTES - 1;
    const { buffer: original } = await file.read(Buffer.alloc(1), 0, 1, crcByte);
    await file.write(Buffer.from([(original[0] ?? 0) ^ 0xff]), 0, 1, crcByte);
    await file.close();
    const damaged = await readFile(eventsFile());
    await expect(openStore({ onTailDamage: 'refuse' })).rejects.toThrow(/damaged tail of 32 bytes \(bad-checksum\)/);
    expect(await readFile(eventsFile())).toEqual(damaged);
    const reopened = await openStore();
    expect(await values(reopened)).toEqual([1n]);
    const side = (await readdir(dir)).filter((name) => /^events\.log\.tail-\w+$/.test(name));
    expect(side).toHaveLength(1);
    expect(await readFile(join(dir, side[0] ?? ''))).toEqual(damaged.subarray(HEADER_BYTES + RECORD_BYTES));
    expect(logLines.join('\n')).toMatch(/"level":50.*"kind":"bad-checksum".*"firstOffset":1/);
  });

  it('drops a torn multi-record append whole', async () => {
    const store = await openStore();
    await store.append({ values: [1n] });
    await store.append({ values: [2n, 3n, 4n, 5n] });
    await store.close();
    const file = await open(eventsFile(), 'r+');
    await file.truncate(HEADER_BYTES + 3 * RECORD_BYTES + 5);
    await file.close();
    const reopened = await openStore();
    expect(reopened.nextOffset()).toBe(1n);
    expect(await values(reopened)).toEqual([1n]);
    expect(logLines.join('\n')).toMatch(/"records":2/);
    expect(await reopened.append({ values: [9n] })).toMatchObject({ firstOffset: 1n });
  });

  it('drops a last group write whose records reached the disk out of order', async () => {
    const store = await openStore();
    await store.append({ values: [1n] });
    await store.append({ values: [2n, 3n, 4n] });
    await store.close();
    const file = await open(eventsFile(), 'r+');
    await file.write(Buffer.alloc(RECORD_BYTES), 0, RECORD_BYTES, HEADER_BYTES + 2 * RECORD_BYTES);
    await file.close();
    expect(await values(await openStore())).toEqual([1n]);
  });

  it('refuses to open a log with a damaged record before the tail, naming the file and offset', async () => {
    const store = await openStore();
    for (let index = 0; index < 10; index += 1) await store.append({ values: [BigInt(index)] });
    await store.close();
    const file = await open(eventsFile(), 'r+');
    await file.write(Buffer.from([0xff]), 0, 1, HEADER_BYTES + 4 * RECORD_BYTES + 3);
    await file.close();
    const failure = openStore();
    await expect(failure).rejects.toBeInstanceOf(CorruptLog);
    await expect(failure).rejects.toThrow(`corrupt event log ${eventsFile()} at offset 4: checksum mismatch`);
  });

  it('refuses a file that is not an event log', async () => {
    const file = await open(eventsFile(), 'w');
    await file.write(Buffer.alloc(200, 1));
    await file.close();
    await expect(openStore()).rejects.toThrow(/cannot open event log .*events\.log: not an event log file/);
  });

  it('forgets a key whose events never became durable', async () => {
    const store = await openStore();
    await store.append({ values: [1n] });
    await store.append({ values: [2n], idempotencyKey: 'lost' });
    await store.close();
    // The key reached the disk, the events did not (a crash between the two writes).
    const file = await open(eventsFile(), 'r+');
    await file.truncate(HEADER_BYTES + RECORD_BYTES);
    await file.close();
    const reopened = await openStore();
    expect(await reopened.append({ values: [7n], idempotencyKey: 'lost' })).toEqual({
      firstOffset: 1n,
      nextOffset: 2n,
      duplicate: false,
    });
  });

  it('compacts the keys file to the dedupe window and remembers exactly the window after a restart', async () => {
    const store = await openStore({ dedupeWindow: 3 });
    for (let index = 0; index < 10; index += 1) await store.append({ values: [BigInt(index)], idempotencyKey: `k${index}` });
    await store.close();
    const keysSize = (await stat(join(dir, 'keys.log'))).size;
    expect(keysSize).toBeLessThan(32 + 7 * 50);
    const reopened = await openStore({ dedupeWindow: 3 });
    expect(await reopened.append({ values: [9n], idempotencyKey: 'k9' })).toMatchObject({ firstOffset: 9n, duplicate: true });
    expect(await reopened.append({ values: [7n], idempotencyKey: 'k7' })).toMatchObject({ firstOffset: 7n, duplicate: true });
    // k0 fell out of the window: the same values append again.
    expect(await reopened.append({ values: [0n], idempotencyKey: 'k0' })).toMatchObject({ firstOffset: 10n, duplicate: false });
  });

  describe.each<[StorageFault, RegExp]>([
    ['disk-full', /ENOSPC/],
    ['fsync-error', /EIO/],
    ['short-write', /short write/],
  ])('with the storage fault %s', (fault, cause) => {
    it('fails the append with the cause, shows nothing partial, keeps reading and recovers', async () => {
      const layer = new FaultyFileLayer();
      const store = await openStore({ fileLayer: layer });
      await store.append({ values: [1n, 2n] });
      layer.set(fault);
      const failed = store.append({ values: [3n, 4n, 5n], idempotencyKey: 'retry-me' });
      await expect(failed).rejects.toBeInstanceOf(StorageFailure);
      await expect(failed).rejects.toThrow(cause);
      expect(layer.injected).toBeGreaterThan(0);
      expect(store.nextOffset()).toBe(2n);
      expect(await values(store)).toEqual([1n, 2n]);
      expect((await stat(eventsFile())).size).toBe(HEADER_BYTES + 2 * RECORD_BYTES);
      layer.clear();
      expect(await store.append({ values: [3n, 4n, 5n], idempotencyKey: 'retry-me' })).toEqual({
        firstOffset: 2n,
        nextOffset: 5n,
        duplicate: false,
      });
      await store.close();
      const reopened = await openStore();
      expect(await values(reopened)).toEqual([1n, 2n, 3n, 4n, 5n]);
      expect((await reopened.append({ values: [3n, 4n, 5n], idempotencyKey: 'retry-me' })).duplicate).toBe(true);
    });
  });

  /** The metrics' view of the store, through the observer: no metrics library needed to test it. */
  it('tells its observer of each group commit, fdatasync, retry and storage failure', async () => {
    const calls: string[] = [];
    const observer: LogStoreObserver = {
      groupCommitted: (appends, events) => calls.push(`group ${appends} ${events}`),
      duplicate: () => calls.push('duplicate'),
      synced: (file, seconds) => calls.push(`sync ${file} ${seconds >= 0 && seconds < 60 ? 'timed' : seconds}`),
      storageFailed: (appends) => calls.push(`failed ${appends}`),
    };
    const layer = new FaultyFileLayer();
    const store = await openStore({ observer, fileLayer: layer });
    await store.append({ values: [1n, 2n, 3n] });
    await store.append({ values: [4n], idempotencyKey: 'k' });
    await store.append({ values: [4n], idempotencyKey: 'k' });
    layer.set('fsync-error');
    await expect(store.append({ values: [5n] })).rejects.toBeInstanceOf(StorageFailure);
    expect(calls).toEqual([
      'sync events timed',
      'group 1 3',
      'sync keys timed',
      'sync events timed',
      'group 1 1',
      'duplicate',
      'failed 1',
    ]);
  });
});

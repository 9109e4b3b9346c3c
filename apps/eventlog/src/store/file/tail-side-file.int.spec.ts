import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { makeTempDir, readTree, removeTempDir } from '@hello-es/test-support';
import { FileLogStore, type FileLogStoreOptions } from './file-log-store';
import { HEADER_BYTES, RECORD_BYTES } from './record-format';

/**
 * Issue 10: recovery never deletes a byte. What it cuts off goes to
 * events.log.tail-<time>, described by events.log.tail-<time>.json, and
 * EVENTLOG_ON_TAIL_DAMAGE=refuse changes nothing.
 */
describe('the side file of a damaged tail', () => {
  let dir: string;
  let logLines: string[];
  const opened: FileLogStore[] = [];
  const openStore = async (options: Partial<FileLogStoreOptions> = {}): Promise<FileLogStore> => {
    const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
    const store = await FileLogStore.open({ dir, logger, ...options });
    opened.push(store);
    return store;
  };
  const eventsFile = (): string => join(dir, 'events.log');
  const values = async (store: FileLogStore): Promise<bigint[]> => [...(await store.read(0n, 1_000)).values];
  const sideFiles = async (): Promise<{ bytes: Buffer; description: Record<string, unknown> }[]> => {
    const names = (await readdir(dir)).filter((name) => /^events\.log\.tail-\w+$/.test(name));
    return Promise.all(
      names.map(async (name) => ({
        bytes: await readFile(join(dir, name)),
        description: JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>,
      })),
    );
  };
  /** Writes events in the given appends (one group write each), closes the store, returns the file's bytes. */
  const writeLog = async (appends: bigint[][]): Promise<void> => {
    const store = await openStore();
    for (const list of appends) await store.append({ values: list });
    await store.close();
  };

  beforeEach(async () => {
    dir = await makeTempDir('eventlog-tail-');
    logLines = [];
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close().catch(() => undefined);
    await removeTempDir(dir);
  });

  it('moves a zero-filled tail of whole records to the side file, byte for byte, described as a torn write', async () => {
    await writeLog([[1n, 2n]]);
    const file = await open(eventsFile(), 'a');
    await file.write(Buffer.alloc(3 * RECORD_BYTES));
    await file.close();
    const damaged = await readFile(eventsFile());

    const store = await openStore();
    expect(await values(store)).toEqual([1n, 2n]);
    const [side, ...others] = await sideFiles();
    expect(others).toEqual([]);
    expect(side?.bytes).toEqual(damaged.subarray(HEADER_BYTES + 2 * RECORD_BYTES));
    expect(side?.bytes).toEqual(Buffer.alloc(3 * RECORD_BYTES));
    expect(side?.description).toMatchObject({
      kind: 'torn-write',
      records: 3,
      firstOffset: 2,
      lastOffset: 4,
      bytes: 3 * RECORD_BYTES,
      fromByte: HEADER_BYTES + 2 * RECORD_BYTES,
      logId: store.logId,
    });
    expect(String(side?.description['meaning'])).toMatch(/torn write.*never acknowledged/);
    expect(await readFile(eventsFile())).toEqual(damaged.subarray(0, HEADER_BYTES + 2 * RECORD_BYTES));
    expect(logLines.join('\n')).toMatch(/"level":50.*"kind":"torn-write".*offsets 2\.\.4/);
  });

  it('moves a last group with a damaged record to the side file whole, saying acknowledged events may be in it', async () => {
    await writeLog([[1n], [2n, 3n, 4n]]);
    const file = await open(eventsFile(), 'r+');
    // The value of offset 2, the middle record of the last group write.
    await file.write(Buffer.from([0x5a]), 0, 1, HEADER_BYTES + 2 * RECORD_BYTES);
    await file.close();
    const damaged = await readFile(eventsFile());

    const store = await openStore();
    expect(await values(store)).toEqual([1n]);
    const [side, ...others] = await sideFiles();
    expect(others).toEqual([]);
    expect(side?.bytes).toEqual(damaged.subarray(HEADER_BYTES + RECORD_BYTES));
    expect(side?.description).toMatchObject({ kind: 'bad-checksum', records: 3, firstOffset: 1, lastOffset: 3, bytes: 3 * RECORD_BYTES });
    expect(String(side?.description['meaning'])).toMatch(/acknowledged events and their idempotency keys are gone/);
    expect(await readFile(eventsFile())).toEqual(damaged.subarray(0, HEADER_BYTES + RECORD_BYTES));
  });

  it('with refuse, fails the open and leaves every file as it was', async () => {
    await writeLog([[1n], [2n, 3n, 4n]]);
    const file = await open(eventsFile(), 'r+');
    await file.write(Buffer.from([0x5a]), 0, 1, HEADER_BYTES + 2 * RECORD_BYTES);
    await file.close();
    const before = await readTree(dir);

    await expect(openStore({ onTailDamage: 'refuse' })).rejects.toThrow(/damaged tail of 96 bytes \(bad-checksum\); EVENTLOG_ON_TAIL_DAMAGE=refuse/);
    expect(await readTree(dir)).toEqual(before);
    expect(logLines.join('\n')).toMatch(/"level":50.*"firstOffset":1.*EVENTLOG_ON_TAIL_DAMAGE=refuse: not starting/);
  });
});

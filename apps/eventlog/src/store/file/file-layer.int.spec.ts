import { constants } from 'node:fs';
import { readlink, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { nodeFileLayer, writeDurably, type StoreFile } from './file-layer';

/** The open flags the kernel holds for the descriptor of `path` in this process (Linux). */
async function openFlagsOf(path: string): Promise<number | undefined> {
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target !== path) continue;
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8');
    const flags = /flags:\s+([0-7]+)/.exec(info)?.[1];
    return flags === undefined ? undefined : parseInt(flags, 8);
  }
  return undefined;
}

/** A StoreFile that records calls: enough for writeDurably. */
function recordingFile(durableWrites: boolean, calls: string[]): StoreFile {
  return {
    durableWrites,
    read: () => Promise.resolve(0),
    write: (_buffer, _offset, length) => {
      calls.push('write');
      return Promise.resolve(length);
    },
    datasync: () => {
      calls.push('datasync');
      return Promise.resolve();
    },
    truncate: () => Promise.resolve(),
    size: () => Promise.resolve(0),
    close: () => Promise.resolve(),
  };
}

describe('the node file layer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('hello-es-file-layer-');
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  // The event log runs on Linux (CI and the deployment); /proc shows the open flags there.
  it('opens a file asked for durable writes with O_DSYNC, and others without', async () => {
    const durable = await nodeFileLayer.open(join(dir, 'durable'), true, { durableWrites: true });
    const plain = await nodeFileLayer.open(join(dir, 'plain'), true);
    try {
      expect(durable.durableWrites).toBe(true);
      expect(plain.durableWrites).toBe(false);
      expect(((await openFlagsOf(join(dir, 'durable'))) ?? 0) & constants.O_DSYNC).toBe(constants.O_DSYNC);
      expect(((await openFlagsOf(join(dir, 'plain'))) ?? constants.O_DSYNC) & constants.O_DSYNC).toBe(0);
    } finally {
      await durable.close();
      await plain.close();
    }
  });

  it('reopens an existing file with durable writes and keeps its bytes', async () => {
    const first = await nodeFileLayer.open(join(dir, 'events'), true);
    await writeDurably(first, Buffer.from('abc'), 0);
    await first.close();
    const again = await nodeFileLayer.open(join(dir, 'events'), false, { durableWrites: true });
    try {
      await writeDurably(again, Buffer.from('d'), 3);
      expect(await again.size()).toBe(4);
    } finally {
      await again.close();
    }
    expect(await readFile(join(dir, 'events'), 'utf8')).toBe('abcd');
  });

  it('writes durably with one write on an O_DSYNC file, and with write + fdatasync otherwise', async () => {
    const durableCalls: string[] = [];
    await writeDurably(recordingFile(true, durableCalls), Buffer.from('x'), 0);
    expect(durableCalls).toEqual(['write']);
    const plainCalls: string[] = [];
    await writeDurably(recordingFile(false, plainCalls), Buffer.from('x'), 0);
    expect(plainCalls).toEqual(['write', 'datasync']);
  });
});

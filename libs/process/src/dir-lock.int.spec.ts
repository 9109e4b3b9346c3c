import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { DirLocked, LOCK_FILE, lockDirectory, processStartTime } from './dir-lock';

describe('lockDirectory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('dir-lock-');
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('refuses a second lock while the first is held, naming the directory and the holder pid', async () => {
    const first = await lockDirectory(dir);
    const second = lockDirectory(dir);
    await expect(second).rejects.toBeInstanceOf(DirLocked);
    await expect(lockDirectory(dir)).rejects.toThrow(`data directory ${dir} is in use by another process (pid ${process.pid})`);
    await first.release();
    const again = await lockDirectory(dir);
    expect(again.tookOverFromPid).toBeUndefined();
    await again.release();
  });

  it('takes over a lock whose holder is gone', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => child.once('exit', () => resolve(child.pid ?? -1)));
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, startTime: '1' }));
    const lock = await lockDirectory(dir);
    expect(lock.tookOverFromPid).toBe(deadPid);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over a lock whose pid was reused by a process with another start time', async () => {
    // The parent jest worker is alive, but it is not the process that wrote this lock.
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, startTime: 'not-its-start-time' }));
    const lock = await lockDirectory(dir);
    expect(lock.tookOverFromPid).toBe(process.ppid);
    await lock.release();
  });

  it('refuses a lock held by a live process with the recorded start time', async () => {
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, startTime: processStartTime(process.ppid) }));
    await expect(lockDirectory(dir)).rejects.toThrow(`(pid ${process.ppid})`);
  });
});

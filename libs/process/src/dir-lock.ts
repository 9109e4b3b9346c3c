import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * An exclusive lock on a data directory (the event log's DATA_DIR/eventlog,
 * a reducer's DATA_DIR/<reducer>), so two processes never write one log or
 * one snapshot (issue 10: two event logs on one directory lost an
 * acknowledged event).
 *
 * Why a lock file and not flock/fcntl: Node 20 has no flock in core, and a
 * native add-on for one call is a build dependency on every machine. The
 * lock file `LOCK` holds the holder's pid and its start time (field 22 of
 * /proc/<pid>/stat, in clock ticks since boot). It is created atomically
 * (written under a unique name, then link(2)ed to `LOCK`, which fails with
 * EEXIST if it is there), so exactly one of two racing starts wins. A lock
 * left by a process killed with -9 is stale when that pid is gone, or when
 * the pid now belongs to a process with another start time (pid reuse); the
 * next start removes it and takes the lock over, no person needed. Where
 * /proc is missing (not Linux) only the pid's liveness is checked.
 */
export const LOCK_FILE = 'LOCK';

/** The directory is locked by a live process; carries the holder's pid when known. */
export class DirLocked extends Error {
  override readonly name = 'DirLocked';
  constructor(
    readonly dir: string,
    readonly holderPid: number | undefined,
  ) {
    super(
      `data directory ${dir} is in use by another process` +
        (holderPid === undefined ? '' : ` (pid ${holderPid})`) +
        `: stop it first, or give this one another DATA_DIR (lock file ${join(dir, LOCK_FILE)})`,
    );
  }
}

export function isDirLocked(error: unknown): error is DirLocked {
  return error instanceof DirLocked;
}

export interface DirLock {
  readonly dir: string;
  /** Set when a stale lock (its holder is gone) was taken over: the dead holder's pid. */
  readonly tookOverFromPid: number | undefined;
  /** Removes the lock file. Idempotent. */
  release(): Promise<void>;
}

interface LockHolder {
  readonly pid: number;
  readonly startTime: string | undefined;
}

/** Paths locked by this process: a second lock of one of them in-process is refused too. */
const heldHere = new Set<string>();

/**
 * Takes the lock on `dir` (creating the directory) before anything in it is
 * read. Rejects with DirLocked if a live process holds it; never modifies
 * any other file in the directory.
 */
export async function lockDirectory(dir: string): Promise<DirLock> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, startTime: processStartTime(process.pid) };
  let tookOverFromPid: number | undefined;
  // A few rounds: a stale lock removed by us may be re-created by a racing start.
  for (let round = 0; round < 5; round += 1) {
    if (await tryCreate(path, me)) return held(dir, path, tookOverFromPid);
    const seen = await readHolder(path);
    if (seen === 'gone') continue;
    if (seen !== 'unreadable' && isAlive(seen.holder, path)) throw new DirLocked(dir, seen.holder.pid);
    // An unreadable lock cannot come from a start (link publishes a whole
    // file): it was damaged by hand, and is taken over like a stale one.
    if (seen !== 'unreadable') tookOverFromPid = seen.holder.pid;
    // Remove only the file we judged stale, not one a racing start just made.
    const current = await stat(path).catch(() => undefined);
    if (current && (seen === 'unreadable' || current.ino === seen.ino)) {
      await unlink(path).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
    }
  }
  throw new Error(`cannot lock data directory ${dir}: its lock file ${path} keeps changing`);
}

async function tryCreate(path: string, me: LockHolder): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomUUID()}`;
  await writeFile(temp, `${JSON.stringify(me)}\n`, { flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function readHolder(path: string): Promise<{ holder: LockHolder; ino: number } | 'gone' | 'unreadable'> {
  try {
    const info = await stat(path);
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || !Number.isSafeInteger(parsed.pid) || parsed.pid <= 0) return 'unreadable';
    const startTime = typeof parsed.startTime === 'string' ? parsed.startTime : undefined;
    return { holder: { pid: parsed.pid, startTime }, ino: info.ino };
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    if (error instanceof SyntaxError) return 'unreadable';
    throw error;
  }
}

function isAlive(holder: LockHolder, path: string): boolean {
  if (holder.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(holder.pid, 0);
  } catch (error: unknown) {
    // EPERM: the pid exists but belongs to another user, so it is alive.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const startTime = processStartTime(holder.pid);
  // Same pid, other start time: the holder died and its pid was reused.
  return holder.startTime === undefined || startTime === undefined || startTime === holder.startTime;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or undefined off Linux. */
export function processStartTime(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces: count from the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return fields[22 - 3];
  } catch {
    return undefined;
  }
}

function held(dir: string, path: string, tookOverFromPid: number | undefined): DirLock {
  heldHere.add(path);
  // A process.exit() that skips release() still removes the lock (kill -9 cannot; the next start takes it over).
  const onExit = (): void => {
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', onExit);
  let released = false;
  return {
    dir,
    tookOverFromPid,
    async release() {
      if (released) return;
      released = true;
      process.removeListener('exit', onExit);
      heldHere.delete(path);
      await unlink(path).catch(() => undefined);
    },
  };
}

import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { bigintCodec, type StateCodec } from '../reducer';
import { decodeSnapshot, encodeSnapshot, UnreadableSnapshotError, type Snapshot } from './snapshot';

export const SNAPSHOT_FILE = 'snapshot.json';

export type LoadedSnapshot<S = bigint> =
  | { readonly kind: 'none' }
  | { readonly kind: 'loaded'; readonly snapshot: Snapshot<S> }
  | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * The reducer's snapshot file in `<dataDir>/<reducer>/snapshot.json`.
 *
 * Writes are atomic (temp file, fsync, rename, fsync the folder), so a crash
 * leaves either the old snapshot or the new one, never a torn file. A
 * snapshot that must not be used is set aside by renaming it, never deleted.
 * Operations run one at a time in call order, so a set-aside never races a
 * save that is still in flight.
 */
export class SnapshotStore<S = bigint> {
  readonly folder: string;
  readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly reducer: string,
    // The decimal codec is the default only for bigint states (the reducer's codecOf picks it).
    private readonly codec: StateCodec<S> = bigintCodec as unknown as StateCodec<S>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.folder = join(dataDir, reducer);
    this.file = join(this.folder, SNAPSHOT_FILE);
  }

  /** Reads the snapshot, if there is one. Creates the folder. */
  load(): Promise<LoadedSnapshot<S>> {
    return this.enqueue(async () => {
      await mkdir(this.folder, { recursive: true });
      let text: string;
      try {
        text = await readFile(this.file, 'utf8');
      } catch (error: unknown) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
        throw error;
      }
      try {
        return { kind: 'loaded', snapshot: decodeSnapshot(text, this.reducer, this.codec) };
      } catch (error: unknown) {
        if (error instanceof UnreadableSnapshotError) return { kind: 'unreadable', reason: error.message };
        throw error;
      }
    });
  }

  /** Replaces the snapshot atomically and durably. */
  save(snapshot: Snapshot<S>): Promise<void> {
    return this.enqueue(async () => {
      await mkdir(this.folder, { recursive: true });
      const temp = `${this.file}.tmp-${process.pid}`;
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(encodeSnapshot(snapshot, this.now(), this.codec), 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
      await this.syncFolder();
    });
  }

  /**
   * Renames the snapshot to `snapshot.json.set-aside-<time>` and returns the
   * new path, or undefined when there was no snapshot file.
   */
  setAside(): Promise<string | undefined> {
    return this.enqueue(async () => {
      const stamp = this.now().toISOString().replace(/[:.]/g, '-');
      const target = `${this.file}.set-aside-${stamp}`;
      try {
        await rename(this.file, target);
      } catch (error: unknown) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      await this.syncFolder();
      return target;
    });
  }

  /** Waits for every operation queued so far. */
  async idle(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private async syncFolder(): Promise<void> {
    const folder = await open(this.folder, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

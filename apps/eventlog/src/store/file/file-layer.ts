import { constants, write as writeCallback } from 'node:fs';
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';

/**
 * The few file operations the file store uses, behind an interface so tests
 * can inject faults (disk full, fsync errors, short writes). Every call is
 * asynchronous: the work runs on libuv's pool, never blocking the event loop.
 */
export interface StoreFile {
  /** Reads up to `length` bytes at `position`; returns how many were read. */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /**
   * True when the file was opened with `durableWrites` and the platform has
   * O_DSYNC: a write resolves only once its bytes are durable, as a write
   * followed by fdatasync would (see writeDurably).
   */
  readonly durableWrites: boolean;
  /** Writes at `position`; returns how many bytes were written. */
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Open with O_DSYNC (where the platform has it): each write is durable when
   * it returns, so a durable write costs one trip to libuv's pool instead of
   * two (write, then fdatasync), and one event-loop wake-up less.
   */
  readonly durableWrites?: boolean;
}

export interface FileLayer {
  /** Opens for reading and writing; creates the file when `create` is set. */
  open(path: string, create: boolean, options?: OpenOptions): Promise<StoreFile>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Makes a directory's entries (new or renamed files) durable. */
  syncDirectory(path: string): Promise<void>;
}

class NodeStoreFile implements StoreFile {
  constructor(
    private readonly handle: FileHandle,
    readonly durableWrites: boolean,
  ) {}

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return (await this.handle.read(buffer, offset, length, position)).bytesRead;
  }

  /**
   * The callback API on the handle's descriptor: one request object and one
   * promise per group commit, where FileHandle.write adds its own promise,
   * reference counting and result object (measurable at one append at a time).
   */
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return new Promise((resolve, reject) => {
      writeCallback(this.handle.fd, buffer, offset, length, position, (error, written) => (error ? reject(error) : resolve(written)));
    });
  }

  datasync(): Promise<void> {
    return this.handle.datasync();
  }

  truncate(length: number): Promise<void> {
    return this.handle.truncate(length);
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** The real file system through fs/promises. */
export const nodeFileLayer: FileLayer = {
  async open(path, create, options) {
    // Never O_APPEND: positional writes must land where the store says.
    const dsync = options?.durableWrites === true && typeof constants.O_DSYNC === 'number' ? constants.O_DSYNC : 0;
    try {
      return new NodeStoreFile(await open(path, constants.O_RDWR | dsync), dsync !== 0);
    } catch (error: unknown) {
      if (!create || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return new NodeStoreFile(await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | dsync), dsync !== 0);
    }
  },
  async mkdir(path) {
    await mkdir(path, { recursive: true });
  },
  rename,
  async syncDirectory(path) {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Reads exactly `buffer.length` bytes from `position`; a premature end of file throws. */
export async function readFully(file: StoreFile, buffer: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const read = await file.read(buffer, done, buffer.length - done, position + done);
    if (read === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += read;
  }
}

/**
 * Writes everything at `position` and returns once it is durable: on a file
 * with durableWrites the write itself is (O_DSYNC), otherwise an fdatasync
 * follows it.
 */
export async function writeDurably(file: StoreFile, buffer: Uint8Array, position: number): Promise<void> {
  await writeFully(file, buffer, position);
  if (!file.durableWrites) await file.datasync();
}

/** Writes everything or throws; a short write is a storage failure here. */
export async function writeFully(file: StoreFile, buffer: Uint8Array, position: number): Promise<void> {
  const written = await file.write(buffer, 0, buffer.length, position);
  if (written !== buffer.length) throw new Error(`short write: ${written} of ${buffer.length} bytes`);
}

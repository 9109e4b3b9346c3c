import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';

/**
 * The few file operations the file store uses, behind an interface so tests
 * can inject faults (disk full, fsync errors, short writes). Every call is
 * asynchronous: the work runs on libuv's pool, never blocking the event loop.
 */
export interface StoreFile {
  /** Reads up to `length` bytes at `position`; returns how many were read. */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Writes at `position`; returns how many bytes were written. */
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface FileLayer {
  /** Opens for reading and writing; creates the file when `create` is set. */
  open(path: string, create: boolean): Promise<StoreFile>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Makes a directory's entries (new or renamed files) durable. */
  syncDirectory(path: string): Promise<void>;
}

class NodeStoreFile implements StoreFile {
  constructor(private readonly handle: FileHandle) {}

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return (await this.handle.read(buffer, offset, length, position)).bytesRead;
  }

  async write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return (await this.handle.write(buffer, offset, length, position)).bytesWritten;
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
  async open(path, create) {
    // Never O_APPEND: positional writes must land where the store says.
    try {
      return new NodeStoreFile(await open(path, 'r+'));
    } catch (error: unknown) {
      if (!create || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return new NodeStoreFile(await open(path, 'wx+'));
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

/** Writes everything or throws; a short write is a storage failure here. */
export async function writeFully(file: StoreFile, buffer: Uint8Array, position: number): Promise<void> {
  const written = await file.write(buffer, 0, buffer.length, position);
  if (written !== buffer.length) throw new Error(`short write: ${written} of ${buffer.length} bytes`);
}

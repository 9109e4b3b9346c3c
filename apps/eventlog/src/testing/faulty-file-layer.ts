import { nodeFileLayer, type FileLayer, type OpenOptions, type StoreFile } from '../store/file/file-layer';

/** The storage faults tests inject under the event log's file store (the eventlog's own tests and the reliability suite). */
export type StorageFault =
  /** Every write fails with ENOSPC. */
  | 'disk-full'
  /**
   * Every fdatasync fails with EIO (the write itself "succeeded"); on a file
   * with durable writes (O_DSYNC) the write stores its bytes and then fails
   * with EIO, as the kernel reports a failed sync there.
   */
  | 'fsync-error'
  /** Every write stores only half its bytes and says so, as write(2) may; a correct writer loops. */
  | 'short-write'
  /** A write stores half its bytes, then the disk is full (the rest fails with ENOSPC). */
  | 'short-write-then-disk-full';

/**
 * The real file layer with a switch: `set(fault)` makes the next operations
 * fail as that fault would, `clear()` heals the disk. Faults apply to every
 * file the store opens (events and idempotency keys alike).
 */
export class FaultyFileLayer implements FileLayer {
  private fault: StorageFault | undefined;
  /** Operations that failed or were cut short since the fault was set. */
  injected = 0;

  set(fault: StorageFault): void {
    this.fault = fault;
    this.injected = 0;
  }

  clear(): void {
    this.fault = undefined;
  }

  async open(path: string, create: boolean, options?: OpenOptions): Promise<StoreFile> {
    return new FaultyStoreFile(await nodeFileLayer.open(path, create, options), this);
  }

  mkdir(path: string): Promise<void> {
    return nodeFileLayer.mkdir(path);
  }

  rename(from: string, to: string): Promise<void> {
    return nodeFileLayer.rename(from, to);
  }

  syncDirectory(path: string): Promise<void> {
    return nodeFileLayer.syncDirectory(path);
  }

  /** The active fault, for the file wrapper. */
  active(): StorageFault | undefined {
    return this.fault;
  }
}

class FaultyStoreFile implements StoreFile {
  /** Set by a short write that should be followed by ENOSPC. */
  private diskFullAfterShortWrite = false;

  constructor(
    private readonly inner: StoreFile,
    private readonly layer: FaultyFileLayer,
  ) {}

  get durableWrites(): boolean {
    return this.inner.durableWrites;
  }

  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.inner.read(buffer, offset, length, position);
  }

  async write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    const fault = this.layer.active();
    if (fault === 'disk-full' || (fault === 'short-write-then-disk-full' && this.diskFullAfterShortWrite)) {
      this.layer.injected += 1;
      throw errno('ENOSPC', 'no space left on device', 'write');
    }
    if ((fault === 'short-write' || fault === 'short-write-then-disk-full') && length > 1) {
      this.layer.injected += 1;
      this.diskFullAfterShortWrite = fault === 'short-write-then-disk-full';
      return this.inner.write(buffer, offset, Math.floor(length / 2), position);
    }
    this.diskFullAfterShortWrite = false;
    const written = await this.inner.write(buffer, offset, length, position);
    if (fault === 'fsync-error' && this.inner.durableWrites) {
      this.layer.injected += 1;
      throw errno('EIO', 'i/o error', 'write');
    }
    return written;
  }

  async datasync(): Promise<void> {
    if (this.layer.active() === 'fsync-error') {
      this.layer.injected += 1;
      throw errno('EIO', 'i/o error', 'fdatasync');
    }
    return this.inner.datasync();
  }

  truncate(length: number): Promise<void> {
    return this.inner.truncate(length);
  }

  size(): Promise<number> {
    return this.inner.size();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function errno(code: string, description: string, syscall: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${description}, ${syscall}`);
  error.code = code;
  error.syscall = syscall;
  return error;
}

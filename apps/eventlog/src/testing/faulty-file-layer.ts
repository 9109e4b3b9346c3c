import type { FileLayer, StoreFile } from '../store/file/file-layer';
import { nodeFileLayer } from '../store/file/file-layer';

/** A storage fault a test can switch on: the next matching operations fail until cleared. */
export type StorageFault = 'disk-full-on-write' | 'fsync-error' | 'short-write';

function errnoError(code: string, message: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${message}`);
  error.code = code;
  return error;
}

/**
 * The real file layer with switchable faults, for tests of the file store
 * (and issue 6's reliability suite). Faults apply to writes and fsyncs of
 * every file opened through it; reads and truncates always work.
 */
export class FaultyFileLayer implements FileLayer {
  fault: StorageFault | undefined;
  /** How many operations failed because of a fault. */
  failures = 0;

  constructor(private readonly inner: FileLayer = nodeFileLayer) {}

  async open(path: string, create: boolean): Promise<StoreFile> {
    const file = await this.inner.open(path, create);
    return {
      read: (buffer, offset, length, position) => file.read(buffer, offset, length, position),
      write: async (buffer, offset, length, position) => {
        if (this.fault === 'disk-full-on-write') {
          this.failures += 1;
          throw errnoError('ENOSPC', 'no space left on device, write');
        }
        if (this.fault === 'short-write' && length > 1) {
          this.failures += 1;
          return file.write(buffer, offset, Math.floor(length / 2), position);
        }
        return file.write(buffer, offset, length, position);
      },
      datasync: async () => {
        if (this.fault === 'fsync-error') {
          this.failures += 1;
          throw errnoError('EIO', 'i/o error, fdatasync');
        }
        return file.datasync();
      },
      truncate: (length) => file.truncate(length),
      size: () => file.size(),
      close: () => file.close(),
    };
  }

  mkdir(path: string): Promise<void> {
    return this.inner.mkdir(path);
  }

  rename(from: string, to: string): Promise<void> {
    return this.inner.rename(from, to);
  }

  syncDirectory(path: string): Promise<void> {
    return this.inner.syncDirectory(path);
  }
}

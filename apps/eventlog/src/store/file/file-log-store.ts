import { join } from 'node:path';
import { lockDirectory, type DirLock, type Logger } from '@hello-es/process';
import { CorruptLog, messageOf, StorageFailure, StoreClosed } from '../../errors';
import { DedupeWindow, DEDUPE_WINDOW_SIZE, type KeyedAppend } from '../dedupe-window';
import { planGroup, type PendingAppend } from './group-plan';
import { allocateBatch, type EventBatch } from '../event-batch';
import { openEventsFile, type TailDamagePolicy } from './events-file';
import { nodeFileLayer, readFully, writeDurably, type FileLayer, type StoreFile } from './file-layer';
import { HeadNotifier } from '../head-notifier';
import { compactKeysFile, encodeKeyEntries, openKeysFile } from './keys-file';
import { MAX_APPEND_VALUES_LIMIT, type AppendCommand, type AppendResult, type LogStore } from '../log-store';
import { decodeRecordsInto, encodeGroup, RECORD_BYTES, recordPosition } from './record-format';
import { NO_OBSERVER, type LogStoreObserver } from '../log-store-observer';
import { TailCache } from '../tail-cache';

export interface FileLogStoreOptions {
  /** The log's folder (DATA_DIR/eventlog). */
  readonly dir: string;
  readonly logger: Logger;
  /** Injected in tests to simulate disk faults. */
  readonly fileLayer?: FileLayer;
  /** Most records per group write; must be at least the largest append. */
  readonly maxGroupRecords?: number;
  readonly tailCacheEvents?: number;
  readonly verifyOnOpen?: 'full' | 'tail';
  readonly dedupeWindow?: number;
  /** EVENTLOG_ON_TAIL_DAMAGE: what recovery does with a damaged tail (default truncate, keeping the bytes aside). */
  readonly onTailDamage?: TailDamagePolicy;
  /** Told of every group commit, retry, fdatasync and storage failure (the metrics). */
  readonly observer?: LogStoreObserver;
}

/** A group write holds whole appends, so one append must fit in a group. */
export const DEFAULT_MAX_GROUP_RECORDS = MAX_APPEND_VALUES_LIMIT;

/**
 * The embedded LogStore: fixed-width records in DATA_DIR/eventlog/events.log
 * (see record-format.ts) and idempotency keys in keys.log.
 *
 * Group commit: appends that arrive while a write is in flight queue up and
 * go out together in the next single durable write (O_DSYNC, see
 * file-layer.ts); each is answered only once that write is durable. On a storage fault every append of the group
 * fails with StorageFailure, the files are truncated back to their durable
 * size, reads keep working and the next group tries again.
 */
export class FileLogStore implements LogStore {
  readonly storage = 'file';
  /** One copy, on this machine's disk. */
  readonly replicas = 1;
  private head: bigint;
  private readonly queue: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  private needsRepair = false;
  private readonly notifier = new HeadNotifier(() => this.head);
  private readonly cache: TailCache;

  private constructor(
    readonly logId: string,
    private readonly options: Required<Omit<FileLogStoreOptions, 'logger'>> & { logger: Logger },
    private readonly events: StoreFile,
    private keys: StoreFile,
    private keysSize: number,
    private keyEntriesInFile: number,
    private readonly window: DedupeWindow,
    head: bigint,
    private readonly lock: DirLock,
  ) {
    this.head = head;
    this.cache = new TailCache(options.tailCacheEvents);
    this.cache.reset(Number(head));
  }

  /** Opens (creating or recovering) the log in `options.dir`; throws CorruptLog on damage before the tail. */
  static async open(options: FileLogStoreOptions): Promise<FileLogStore> {
    const resolved = {
      fileLayer: nodeFileLayer,
      maxGroupRecords: DEFAULT_MAX_GROUP_RECORDS,
      tailCacheEvents: 65_536,
      verifyOnOpen: 'full' as const,
      dedupeWindow: DEDUPE_WINDOW_SIZE,
      onTailDamage: 'truncate' as const,
      observer: NO_OBSERVER,
      ...options,
    };
    // The lock comes before any read: a second process on this folder must
    // not even run recovery (issue 10). Throws DirLocked naming the holder.
    const lock = await lockDirectory(options.dir);
    if (lock.tookOverFromPid !== undefined) {
      options.logger.warn({ dir: options.dir, deadPid: lock.tookOverFromPid }, 'took over the lock of a process that is gone');
    }
    let opened: Awaited<ReturnType<typeof openEventsFile>>;
    try {
      opened = await openEventsFile({
      dir: options.dir,
      fileLayer: resolved.fileLayer,
      logger: options.logger,
      maxGroupRecords: resolved.maxGroupRecords,
      verify: resolved.verifyOnOpen,
      onTailDamage: resolved.onTailDamage,
    });
    } catch (error: unknown) {
      await lock.release();
      throw error;
    }
    try {
      const keys = await openKeysFile(options.dir, resolved.fileLayer, opened.nextOffset, options.logger);
      const window = new DedupeWindow(resolved.dedupeWindow);
      for (const entry of keys.entries) window.remember(entry);
      options.logger.info(
        { file: opened.path, logId: opened.logId, nextOffset: opened.nextOffset, keys: window.size, created: opened.created },
        'event log opened',
      );
      return new FileLogStore(opened.logId, resolved, opened.file, keys.file, keys.size, keys.entries.length, window, opened.nextOffset, lock);
    } catch (error: unknown) {
      await opened.file.close();
      await lock.release();
      throw error;
    }
  }

  nextOffset(): bigint {
    return this.head;
  }

  append(command: AppendCommand): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreClosed());
    return new Promise((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
      this.flushing ??= this.flushQueue();
    });
  }

  private async flushQueue(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commitNextGroup();
    } finally {
      this.flushing = undefined;
    }
  }

  /** Plans, writes and fdatasyncs one group of queued appends. */
  private async commitNextGroup(): Promise<void> {
    const { accepted, waitingDuplicates, keys, nextOffset, duplicates } = planGroup(
      this.queue,
      this.head,
      this.window,
      this.options.maxGroupRecords,
    );
    const observer = this.options.observer;
    for (let index = 0; index < duplicates; index += 1) observer.duplicate();
    if (accepted.length === 0) return;
    const timeMs = Date.now();
    const valueLists = accepted.map((item) => item.pending.command.values);
    try {
      // Encoding inside the try: whatever fails, every waiting append gets an answer.
      await this.writeGroup(encodeGroup(valueLists, this.head, timeMs), keys);
    } catch (error: unknown) {
      this.options.logger.error({ err: error, appends: accepted.length }, 'append failed in storage');
      observer.storageFailed(accepted.length);
      const failure = new StorageFailure(messageOf(error), { cause: error });
      for (const item of [...accepted, ...waitingDuplicates]) item.pending.reject(failure);
      return;
    }
    for (const values of valueLists) this.cache.push(values, timeMs);
    for (const keyed of keys) this.window.remember(keyed);
    observer.groupCommitted(accepted.length, Number(nextOffset - this.head));
    this.head = nextOffset;
    for (const item of accepted) {
      const nextOffset = item.firstOffset + BigInt(item.pending.command.values.length);
      item.pending.resolve({ firstOffset: item.firstOffset, nextOffset, duplicate: false });
    }
    for (const item of waitingDuplicates) item.pending.resolve(item.result);
    this.notifier.advanced();
    await this.compactKeysIfDue();
  }

  /** Keys first (so a durable keyed append always has its key), then the events. */
  private async writeGroup(records: Buffer, keyed: readonly KeyedAppend[]): Promise<void> {
    try {
      if (this.needsRepair) await this.repair();
      let keysSize = this.keysSize;
      if (keyed.length > 0) {
        const entries = encodeKeyEntries(keyed);
        await this.timedWrite(this.keys, 'keys', entries, keysSize);
        keysSize += entries.length;
      }
      await this.timedWrite(this.events, 'events', records, recordPosition(this.head));
      this.keysSize = keysSize;
      this.keyEntriesInFile += keyed.length;
    } catch (error: unknown) {
      this.needsRepair = true;
      await this.repair().catch((repairError: unknown) =>
        this.options.logger.error({ err: repairError }, 'cannot truncate after a storage failure; retrying before the next append'),
      );
      throw error;
    }
  }

  /** One durable write (O_DSYNC, or write + fdatasync), timed for the observer. */
  private async timedWrite(file: StoreFile, name: 'events' | 'keys', bytes: Buffer, position: number): Promise<void> {
    const started = performance.now();
    await writeDurably(file, bytes, position);
    this.options.observer.synced(name, (performance.now() - started) / 1000);
  }

  /** Cuts both files back to what is durable and acknowledged. */
  private async repair(): Promise<void> {
    await this.events.truncate(recordPosition(this.head));
    await this.keys.truncate(this.keysSize);
    this.needsRepair = false;
  }

  private async compactKeysIfDue(): Promise<void> {
    if (this.keyEntriesInFile <= 2 * this.window.capacity) return;
    try {
      const compacted = await compactKeysFile(this.options.dir, this.options.fileLayer, this.window.list());
      await this.keys.close();
      this.keys = compacted.file;
      this.keysSize = compacted.size;
      this.keyEntriesInFile = this.window.size;
    } catch (error: unknown) {
      this.options.logger.warn({ err: error, file: join(this.options.dir, 'keys.log') }, 'keys file compaction failed; will retry');
    }
  }

  async read(fromOffset: bigint, maxCount: number): Promise<EventBatch> {
    const available = this.head > fromOffset ? Number(this.head - fromOffset) : 0;
    const batch = allocateBatch(fromOffset, Math.min(maxCount, available));
    if (batch.count === 0) return batch;
    if (this.cache.holds(Number(fromOffset))) {
      this.cache.copyInto(batch);
      return batch;
    }
    const records = Buffer.allocUnsafeSlow(batch.count * RECORD_BYTES);
    await readFully(this.events, records, recordPosition(fromOffset));
    const mismatch = decodeRecordsInto(records, batch);
    if (mismatch >= 0) {
      throw new CorruptLog(join(this.options.dir, 'events.log'), fromOffset + BigInt(mismatch), 'record holds another offset');
    }
    return batch;
  }

  waitForHeadBeyond(offset: bigint, signal: AbortSignal): Promise<void> {
    return this.notifier.waitBeyond(offset, signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.events.close();
    await this.keys.close();
    await this.lock.release();
  }
}

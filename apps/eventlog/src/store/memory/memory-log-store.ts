import { randomUUID } from 'node:crypto';
import { StoreClosed } from '../../errors';
import { planAppend } from '../append-plan';
import { DedupeWindow } from '../dedupe-window';
import { allocateBatch, type EventBatch } from '../event-batch';
import { HeadNotifier } from '../head-notifier';
import type { AppendCommand, AppendResult, LogStore } from '../log-store';
import { NO_OBSERVER, type LogStoreObserver } from '../log-store-observer';

const CHUNK = 65_536;

/**
 * A LogStore held in memory, for tests and trying things out: nothing
 * survives a restart. Events live in fixed-size column chunks.
 */
export class MemoryLogStore implements LogStore {
  readonly logId = randomUUID();
  readonly storage = 'memory';
  private head = 0n;
  private closed = false;
  private readonly values: BigInt64Array[] = [];
  private readonly times: Float64Array[] = [];
  private readonly window = new DedupeWindow();
  private readonly notifier = new HeadNotifier(() => this.head);

  /** `observer`: told of each append (a group of one) and retry; a memory store never syncs. */
  constructor(private readonly observer: LogStoreObserver = NO_OBSERVER) {}

  nextOffset(): bigint {
    return this.head;
  }

  async append(command: AppendCommand): Promise<AppendResult> {
    if (this.closed) throw new StoreClosed();
    const plan = planAppend(command, this.head, this.window, new Map());
    if (plan.kind === 'duplicate') {
      this.observer.duplicate();
      return plan.result;
    }
    const now = Date.now();
    let offset = Number(this.head);
    for (const value of command.values) {
      const chunk = Math.floor(offset / CHUNK);
      if (chunk === this.values.length) {
        this.values.push(new BigInt64Array(CHUNK));
        this.times.push(new Float64Array(CHUNK));
      }
      (this.values[chunk] as BigInt64Array)[offset % CHUNK] = value;
      (this.times[chunk] as Float64Array)[offset % CHUNK] = now;
      offset += 1;
    }
    if (plan.keyed) this.window.remember(plan.keyed);
    this.head = BigInt(offset);
    this.observer.groupCommitted(1, command.values.length);
    this.notifier.advanced();
    return { firstOffset: plan.firstOffset, nextOffset: this.head, duplicate: false };
  }

  async read(fromOffset: bigint, maxCount: number): Promise<EventBatch> {
    const available = this.head > fromOffset ? Number(this.head - fromOffset) : 0;
    const batch = allocateBatch(fromOffset, Math.min(maxCount, available));
    const first = Number(fromOffset);
    for (let index = 0; index < batch.count; index += 1) {
      const offset = first + index;
      const chunk = Math.floor(offset / CHUNK);
      batch.values[index] = (this.values[chunk] as BigInt64Array)[offset % CHUNK] as bigint;
      batch.appendTimesMs[index] = (this.times[chunk] as Float64Array)[offset % CHUNK] as number;
    }
    return batch;
  }

  waitForHeadBeyond(offset: bigint, signal: AbortSignal): Promise<void> {
    return this.notifier.waitBeyond(offset, signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notifier.advanced();
  }
}

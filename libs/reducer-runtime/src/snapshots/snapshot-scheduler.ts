import type { Logger } from '@hello-es/process';
import type { SnapshotObserver } from '../metrics/reducer-metrics';
import type { StateView } from '../state/reducer-state';
import type { SnapshotStore } from './snapshot-store';

export interface SnapshotSchedulerOptions<S = bigint> {
  readonly store: Pick<SnapshotStore<S>, 'save' | 'file'>;
  readonly reducerName: string;
  /** The state to save when the timer fires. */
  readonly current: () => StateView<S>;
  readonly everyEvents: number;
  readonly everyMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Told of every write and its duration (the metrics). */
  readonly observer?: SnapshotObserver;
}

/**
 * Decides when to snapshot: after `everyEvents` new events, or `everyMs`
 * after the last snapshot if anything changed. At most one write is in
 * flight; the writes use async fs, so applying events never waits for them.
 * A failed write is logged and retried at the next trigger: snapshots only
 * shorten the replay after a restart, they are never needed for correctness.
 */
export class SnapshotScheduler<S = bigint> {
  private lastSavedOffset: bigint | undefined;
  private lastSavedLogId = '';
  private lastSaveAt: number;
  private inFlight: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private saves = 0;

  constructor(private readonly options: SnapshotSchedulerOptions<S>) {
    this.now = options.now ?? Date.now;
    this.lastSaveAt = this.now();
    this.timer = setInterval(() => this.maybeSave(options.current()), options.everyMs);
    this.timer.unref();
  }

  /** How many snapshots were written since start. */
  get written(): number {
    return this.saves;
  }

  /** The position of the snapshot on disk (loaded or last written). */
  noteSaved(view: StateView<S>): void {
    this.lastSavedOffset = view.nextOffset;
    this.lastSavedLogId = view.logId;
  }

  /** Forgets the last snapshot (it was set aside): the next state is new. */
  reset(): void {
    this.lastSavedOffset = undefined;
    this.lastSavedLogId = '';
  }

  /** Starts a snapshot if one is due and none is in flight. */
  maybeSave(view: StateView<S>, force = false): void {
    if (this.inFlight || !this.isNew(view)) return;
    const sinceEvents = view.nextOffset - (this.lastSavedOffset ?? 0n);
    const due =
      force || sinceEvents >= BigInt(this.options.everyEvents) || this.now() - this.lastSaveAt >= this.options.everyMs;
    if (due) this.inFlight = this.save(view).finally(() => (this.inFlight = undefined));
  }

  /**
   * Stops the timer, waits for the write in flight, then saves `view` if it
   * is new (shutdown). Returns whether `view` is now on disk.
   */
  async flush(view: StateView<S>): Promise<boolean> {
    clearInterval(this.timer);
    await this.inFlight;
    if (this.isNew(view)) await this.save(view);
    return !this.isNew(view) && view.logId !== '';
  }

  private isNew(view: StateView<S>): boolean {
    // Nothing to save before the first contact with the log.
    if (view.logId === '') return false;
    return view.nextOffset !== this.lastSavedOffset || view.logId !== this.lastSavedLogId;
  }

  private async save(view: StateView<S>): Promise<void> {
    this.lastSaveAt = this.now();
    const started = performance.now();
    try {
      await this.options.store.save({ reducer: this.options.reducerName, ...view });
      this.options.observer?.written(true, (performance.now() - started) / 1000);
      this.noteSaved(view);
      this.saves += 1;
      this.options.logger.debug({ nextOffset: view.nextOffset.toString() }, 'snapshot written');
    } catch (error: unknown) {
      this.options.observer?.written(false, (performance.now() - started) / 1000);
      this.options.logger.error({ err: error, file: this.options.store.file }, 'snapshot write failed');
    }
  }
}

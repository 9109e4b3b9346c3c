import type { Logger } from '@hello-es/process';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { HeadNotifier } from '../head-notifier';
import type { MessageCache } from './message-cache';
import { getAppendMessage } from './stream-message-get';

export interface HeadFollowerOptions {
  readonly nc: NatsConnection;
  readonly stream: string;
  readonly subject: string;
  readonly cache: MessageCache;
  readonly logger: Logger;
  /** One read of the last message (default 5 s). */
  readonly requestTimeoutMs?: number;
  /** True for a wake-up that is our own in-flight publish (its ack moves the head; no read needed). */
  readonly isOwnPublish?: (msgId: string) => boolean;
  /** The watchdog's period: the head is re-read this often even if no wake-up came (default 1 s). */
  readonly pollMs?: number;
}

/**
 * Follows the head of the shared stream, whoever appends: a core
 * subscription on the stream's subject says "something was published"
 * (it also sees publishes the stream rejected, so it only wakes us), then
 * the last stored message is read through the stream leader (not direct
 * get: that may be stale) and its headers give the head. A poll every
 * second is the watchdog for a lost wake-up and the health probe.
 */
export class HeadFollower {
  private seq = 0;
  private nextOffset = 0n;
  private healthy = true;
  /** performance.now() of the last answer from the stream leader (an ack or a read). */
  private leaderAnsweredAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly notifier = new HeadNotifier(() => this.nextOffset);
  private readonly healthListeners = new Set<(serving: boolean) => void>();

  constructor(private readonly options: HeadFollowerOptions) {}

  /** The last stored message's sequence (0: empty stream). */
  get lastSeq(): number {
    return this.seq;
  }

  get head(): bigint {
    return this.nextOffset;
  }

  get serving(): boolean {
    return this.healthy;
  }

  /** Reads the head once (rejects if it cannot), then follows it. */
  async start(): Promise<void> {
    await this.refresh();
    this.subscription = this.options.nc.subscribe(this.options.subject, {
      callback: (_error, message) => {
        if (this.options.isOwnPublish?.(message?.headers?.get('Nats-Msg-Id') ?? '') === true) return;
        void this.refresh().catch(() => undefined);
      },
    });
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.options.pollMs ?? 1_000);
    this.timer.unref();
  }

  /** Records a message known to be stored (our own acknowledged append); the head never moves back. */
  observe(seq: number, nextOffset: bigint): void {
    if (seq <= this.seq) return;
    this.seq = seq;
    this.nextOffset = nextOffset;
    this.notifier.advanced();
  }

  waitBeyond(offset: bigint, signal: AbortSignal): Promise<void> {
    return this.notifier.waitBeyond(offset, signal);
  }

  /**
   * An answer just came from the stream leader (an ack of our publish):
   * it is reachable, so SERVING at once. Without this a gateway stayed
   * NOT_SERVING for up to a read timeout (5 s) after an election, while
   * its appends were already acknowledged again.
   */
  leaderAnswered(): void {
    this.leaderAnsweredAt = performance.now();
    this.setHealthy(true);
  }

  onHealth(listener: (serving: boolean) => void): void {
    this.healthListeners.add(listener);
  }

  /**
   * Re-reads the head; the promise settles after a read that started after
   * this call (concurrent callers share one read, at most one more queued).
   */
  refresh(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.readHead().finally(() => {
        this.inFlight = undefined;
      });
      return this.inFlight;
    }
    this.queued ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.refresh();
      });
    return this.queued;
  }

  stop(): void {
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
    this.notifier.advanced();
  }

  private async readHead(): Promise<void> {
    // Our own acks may move the head while this read is in flight: only a
    // stream behind what we knew *before* reading went backwards.
    const knownBefore = this.seq;
    const startedAt = performance.now();
    try {
      const { nc, stream, subject, requestTimeoutMs = 5_000 } = this.options;
      const message = await getAppendMessage(nc, stream, { last_by_subj: subject }, requestTimeoutMs);
      if (message) {
        this.options.cache.put(message, 'tail');
        if (message.seq < knownBefore) {
          // deny_delete/deny_purge forbid this; a stream deleted and recreated does it.
          this.options.logger.error({ stored: message.seq, known: this.seq }, 'the stream went backwards: was it deleted and recreated?');
        }
        this.observe(message.seq, message.firstOffset + BigInt(message.count));
      }
      this.leaderAnswered();
    } catch (error: unknown) {
      // A read lost with the node that served it proves nothing once the
      // leader has answered since it started (an ack through the new leader).
      if (this.leaderAnsweredAt < startedAt) this.setHealthy(false, error);
      throw error;
    }
  }

  private setHealthy(serving: boolean, error?: unknown): void {
    if (serving === this.healthy) return;
    this.healthy = serving;
    if (serving) this.options.logger.info('the stream leader answers again: SERVING');
    else this.options.logger.warn({ err: (error as Error | undefined)?.message }, 'cannot reach the stream leader: NOT_SERVING');
    for (const listener of this.healthListeners) listener(serving);
  }
}

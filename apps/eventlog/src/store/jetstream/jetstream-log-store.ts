import type { Logger } from '@hello-es/process';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { CorruptLog, messageOf, StorageFailure, StorageUnavailable, StoreClosed } from '../../errors';
import { allocateBatch, type EventBatch } from '../event-batch';
import type { AppendCommand, AppendResult, LogStore } from '../log-store';
import type { LogStoreObserver } from '../log-store-observer';
import type { LocalSubscriptions, SubscriptionDirectory } from '../subscription-directory';
import { ForeignMessage, type AppendMessage } from './append-message';
import { AppendPipeline, DEFAULT_GROUP_BYTES } from './append-pipeline';
import { HeadFollower } from './head-follower';
import type { JetStreamStorageConfig } from './jetstream-config';
import { durabilityNote } from './durability-note';
import { JetStreamPublisher } from './jetstream-publisher';
import { MessageCache, type MessageCacheLimits } from './message-cache';
import { connectNats, withStartRetries } from './nats-connection';
import { openStream, subjectOf } from './stream-setup';
import { getAppendMessage } from './stream-message-get';
import { SubscriptionBucket } from './subscription-bucket';

/**
 * Messages a forward reader keeps requested ahead of the one it reads (a
 * sliding window: each message get is one round trip to the stream leader,
 * so the window, not the decode, sets the catch-up rate: measured on a
 * loaded 2-core VM, 16 ahead read 0.45–0.73 M events/s, 128 ahead 1.24–1.29 M,
 * with the reader's CPU at about 20% of the wall time). Bounded by values
 * too: at most half the message cache's history tier (128 messages of
 * 1,000 values).
 */
const READ_AHEAD = 128;

export interface JetStreamLogStoreOptions {
  readonly config: JetStreamStorageConfig;
  readonly logger: Logger;
  /** The head follower's watchdog period (default 1 s). */
  readonly pollMs?: number;
  /** Messages a forward reader keeps requested ahead (default READ_AHEAD; for measurements). */
  readonly readAheadMessages?: number;
  /** Appends one group message may hold (default DEFAULT_GROUP_APPENDS; 1: one message per append, for tests and measurements). */
  readonly maxGroupAppends?: number;
  /** The message cache's bounds (default MessageCache's; for tests). */
  readonly cacheLimits?: MessageCacheLimits;
  /** Hears of each stored append (one message: a group of one), duplicates and failures (the metrics). */
  readonly observer?: LogStoreObserver;
}

/**
 * A LogStore over one JetStream stream; the process is a stateless gateway
 * and any number of gateways may share the stream (docs/jetstream.md).
 * One message holds one Append, or a group of unkeyed unconditional Appends
 * that waited together (append-pipeline.ts); its headers carry its first
 * offset and count.
 * Appends are pipelined (append-pipeline.ts) with Nats-Expected-Last-Sequence
 * and, chained, Nats-Expected-Last-Msg-Id (so the stream, not a gateway,
 * decides the order) and a Nats-Msg-Id (so a retry after a lost ack is not
 * stored twice); the head follows appends of every gateway.
 */
export class JetStreamLogStore implements LogStore {
  readonly storage = 'jetstream';
  private closed = false;
  private readonly cache: MessageCache;
  private readonly fetching = new Map<number, Promise<AppendMessage>>();
  private readonly follower: HeadFollower;
  private readonly subject: string;
  private readonly publisher: JetStreamPublisher;
  private readonly pipeline: AppendPipeline;
  private subscriptions: SubscriptionBucket | undefined;

  private constructor(
    readonly logId: string,
    /** The stream's replicas as found (or created). */
    readonly replicas: number,
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: JetStreamLogStoreOptions,
  ) {
    this.subject = subjectOf(options.config.stream);
    this.cache = new MessageCache(options.cacheLimits);
    this.follower = new HeadFollower({
      nc,
      stream: options.config.stream,
      subject: this.subject,
      cache: this.cache,
      logger: options.logger,
      requestTimeoutMs: options.config.requestTimeoutMs,
      isOwnPublish: (msgId) => this.pipeline.isInFlight(msgId),
      ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    });
    this.publisher = new JetStreamPublisher(nc);
    this.pipeline = new AppendPipeline({
      publisher: this.publisher,
      subject: this.subject,
      follower: this.follower,
      fetch: (seq) => this.fetch(seq),
      onStored: (message) => this.cache.put(message, 'tail'),
      maxInFlight: options.config.publishesInFlight,
      maxWaiting: options.config.appendsWaiting,
      requestTimeoutMs: options.config.requestTimeoutMs,
      appendTimeoutMs: options.config.appendTimeoutMs,
      // Half the server's max_payload leaves room for the headers; a single append larger than that still goes alone.
      maxGroupBytes: Math.min(DEFAULT_GROUP_BYTES, Math.floor((nc.info?.max_payload ?? 1_048_576) / 2)),
      ...(options.maxGroupAppends === undefined ? {} : { maxGroupAppends: options.maxGroupAppends }),
      logger: options.logger,
      ...(options.observer === undefined ? {} : { observer: options.observer }),
    });
  }

  /**
   * Connects (retrying for NATS_CONNECT_TIMEOUT_SECONDS), finds or creates
   * the stream and reads its head. Throws ConfigError naming the variable
   * when NATS stays unreachable, refuses the credentials, or the stream's
   * settings would break dense offsets.
   */
  static async open(options: JetStreamLogStoreOptions): Promise<JetStreamLogStore> {
    const { config, logger } = options;
    return withStartRetries(config, logger, async () => {
      const nc = await connectNats(config);
      try {
        const jsm = await jetstreamManager(nc, { timeout: config.requestTimeoutMs });
        const opened = await openStream(jsm, config);
        const js = jetstream(nc, { timeout: config.requestTimeoutMs });
        const store = new JetStreamLogStore(opened.logId, opened.replicas, nc, js, jsm, options);
        await store.follower.start();
        logger.info(
          {
            stream: config.stream,
            created: opened.created,
            replicas: opened.replicas,
            server: nc.info?.version,
            head: store.nextOffset().toString(),
          },
          `event log on JetStream: ${durabilityNote(nc.info?.version ?? '', opened.replicas)}`,
        );
        return store;
      } catch (error: unknown) {
        await nc.close().catch(() => undefined);
        throw error;
      }
    });
  }

  nextOffset(): bigint {
    return this.follower.head;
  }

  /** False while the stream leader does not answer (health NOT_SERVING). */
  get serving(): boolean {
    return this.follower.serving;
  }

  onHealth(listener: (serving: boolean) => void): void {
    this.follower.onHealth(listener);
  }

  /** ListSubscriptions across gateways: shares ours in the HELLO_ES_SUBSCRIPTIONS bucket and lists every gateway's. */
  shareSubscriptions(local: LocalSubscriptions): SubscriptionDirectory {
    if (this.closed) throw new StoreClosed();
    if (!this.subscriptions) {
      this.subscriptions = new SubscriptionBucket({
        js: this.js,
        jsm: this.jsm,
        stream: this.options.config.stream,
        replicas: this.replicas,
        local,
        logger: this.options.logger,
      });
      this.subscriptions.start();
    }
    return this.subscriptions;
  }

  append(command: AppendCommand): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreClosed());
    return this.pipeline.append(command);
  }

  /** Publishes the stream refused because another gateway appended first (each retried). */
  get conflicts(): number {
    return this.pipeline.conflicts;
  }

  /** The most publishes this gateway had in flight at once. */
  get peakPublishesInFlight(): number {
    return this.pipeline.peakInFlight;
  }

  async read(fromOffset: bigint, maxCount: number): Promise<EventBatch> {
    const head = this.follower.head;
    const available = head > fromOffset ? Number(head - fromOffset) : 0;
    const batch = allocateBatch(fromOffset, Math.min(maxCount, available));
    if (batch.count === 0) return batch;
    const lastSeq = this.follower.lastSeq;
    let seq = await this.locate(fromOffset, lastSeq);
    let filled = 0;
    let previousCount = 1;
    while (filled < batch.count) {
      const message = await this.messageAt(seq, lastSeq, previousCount);
      previousCount = message.count;
      const skip = Number(fromOffset + BigInt(filled) - message.firstOffset);
      // Dense by construction (expected last sequence); a message that does not continue where the
      // previous one ended was not written by a gateway: refuse to serve it.
      if (skip < 0 || skip >= message.count || (filled > 0 && skip !== 0)) {
        throw new CorruptLog(this.options.config.stream, fromOffset + BigInt(filled), `stream message ${seq} starts at offset ${message.firstOffset}`);
      }
      const take = Math.min(message.count - skip, batch.count - filled);
      batch.values.set(message.values.subarray(skip, skip + take), filled);
      batch.appendTimesMs.fill(message.timeMs, filled, filled + take);
      filled += take;
      // The next read starts in this message if it was not read to its end, else in the next one.
      if (filled === batch.count) this.cache.readEndedAt(fromOffset + BigInt(filled), skip + take < message.count ? seq : seq + 1);
      seq += 1;
    }
    return batch;
  }

  waitForHeadBeyond(offset: bigint, signal: AbortSignal): Promise<void> {
    return this.follower.waitBeyond(offset, signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pipeline.idle();
    this.publisher.close();
    await this.subscriptions?.stop();
    this.follower.stop();
    await this.nc.drain().catch(() => undefined);
  }

  /**
   * The sequence of the message holding `offset` (below the head): the
   * cache knows where a forward reader goes next; otherwise a binary search
   * over sequences by the first-offset header, O(log n) message gets.
   */
  private async locate(offset: bigint, lastSeq: number): Promise<number> {
    const known = this.cache.seqHolding(offset);
    if (known !== undefined && known <= lastSeq) return known;
    let low = 1;
    let high = lastSeq;
    while (low <= high) {
      const middle = Math.floor((low + high) / 2);
      const message = await this.fetch(middle);
      if (offset < message.firstOffset) high = middle - 1;
      else if (offset >= message.firstOffset + BigInt(message.count)) low = middle + 1;
      else return middle;
    }
    throw new StorageFailure(`no stream message holds offset ${offset}`);
  }

  /**
   * The message at `seq`, keeping the following ones requested (a forward
   * reader will want them): READ_AHEAD messages, fewer when messages are
   * large (judged by the previous one's count), so the window fits in half
   * the cache's history tier and nothing fetched ahead is evicted before it
   * is read.
   */
  private messageAt(seq: number, lastSeq: number, countHint: number): Promise<AppendMessage> {
    const most = this.options.readAheadMessages ?? READ_AHEAD;
    const window = Math.max(1, Math.min(most, Math.floor(this.cache.historyValues / 2 / Math.max(1, countHint))));
    for (let ahead = seq + 1; ahead <= Math.min(lastSeq, seq + window); ahead += 1) {
      if (!this.cache.has(ahead) && !this.fetching.has(ahead)) void this.fetch(ahead).catch(() => undefined);
    }
    return this.fetch(seq);
  }

  /** Gets one message through the stream leader (direct get may be stale) and caches it. */
  private fetch(seq: number): Promise<AppendMessage> {
    const cached = this.cache.get(seq);
    if (cached) return Promise.resolve(cached);
    let pending = this.fetching.get(seq);
    if (!pending) {
      pending = getAppendMessage(this.nc, this.options.config.stream, { seq }, this.options.config.requestTimeoutMs)
        .then((message) => {
          if (!message) throw new StorageFailure(`stream message ${seq} is missing`);
          this.cache.put(message, 'history');
          return message;
        })
        .catch((error: unknown) => {
          if (error instanceof StorageFailure) throw error;
          if (error instanceof ForeignMessage) {
            this.options.logger.error({ err: error.message }, 'foreign message in the stream');
            throw new CorruptLog(this.options.config.stream, 0n, error.message);
          }
          // No leader, a timeout: the subscription ends with UNAVAILABLE and its reducer resumes.
          this.options.logger.warn({ seq, err: messageOf(error) }, 'cannot read a stream message');
          throw new StorageUnavailable(`cannot read stream message ${seq}: ${messageOf(error)}`, { cause: error });
        })
        .finally(() => this.fetching.delete(seq));
      this.fetching.set(seq, pending);
    }
    return pending;
  }
}

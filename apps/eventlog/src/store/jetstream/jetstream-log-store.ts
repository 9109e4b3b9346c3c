import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '@hello-es/process';
import { jetstream, jetstreamManager, JetStreamApiError, type JetStreamClient, type JetStreamManager, type PubAck } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { CorruptLog, ExpectedOffsetMismatch, IdempotencyKeyConflict, messageOf, StorageFailure, StorageUnavailable, StoreClosed } from '../../errors';
import { allocateBatch, type EventBatch } from '../event-batch';
import type { AppendCommand, AppendResult, LogStore } from '../log-store';
import { NO_OBSERVER, type LogStoreObserver } from '../log-store-observer';
import type { LocalSubscriptions, SubscriptionDirectory } from '../subscription-directory';
import { appendHeaders, decodeAppendMessage, encodeValues, ForeignMessage, type AppendMessage } from './append-message';
import { HeadFollower } from './head-follower';
import type { JetStreamStorageConfig } from './jetstream-config';
import { durabilityNote } from './durability-note';
import { MessageCache } from './message-cache';
import { connectNats, withStartRetries } from './nats-connection';
import { openStream, subjectOf } from './stream-setup';
import { SubscriptionBucket } from './subscription-bucket';

const WRONG_LAST_SEQUENCE = 10_071;
/** An expected last sequence no stream reaches: a publish that only asks "is this message id a duplicate?". */
const PROBE_SEQUENCE = Number.MAX_SAFE_INTEGER;
/** Messages fetched at once when a read runs past the cache. */
const READ_AHEAD = 16;

export interface JetStreamLogStoreOptions {
  readonly config: JetStreamStorageConfig;
  readonly logger: Logger;
  /** The head follower's watchdog period (default 1 s). */
  readonly pollMs?: number;
  /** Hears of each stored append (one message: a group of one), duplicates and failures (the metrics). */
  readonly observer?: LogStoreObserver;
}

/**
 * A LogStore over one JetStream stream; the process is a stateless gateway
 * and any number of gateways may share the stream (docs/jetstream.md).
 * One Append is one message; its headers carry its first offset and count.
 * Appends are published with Nats-Expected-Last-Sequence (so the stream,
 * not a gateway, decides the order) and a Nats-Msg-Id (so a retry after a
 * lost ack is not stored twice); the head follows appends of every gateway.
 */
export class JetStreamLogStore implements LogStore {
  readonly storage = 'jetstream';
  private closed = false;
  /** Appends of this gateway run one at a time: each needs the head the previous one made. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cache = new MessageCache();
  private readonly fetching = new Map<number, Promise<AppendMessage>>();
  private readonly follower: HeadFollower;
  private readonly subject: string;
  /** The message id of the append being published (at most one: appends run one at a time). */
  private publishing = '';
  /** Append conflicts with other gateways since start (retried). */
  conflicts = 0;
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
    this.follower = new HeadFollower({
      nc,
      jsm,
      stream: options.config.stream,
      subject: this.subject,
      cache: this.cache,
      logger: options.logger,
      isOwnPublish: (msgId) => msgId !== '' && msgId === this.publishing,
      ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
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
    const { observer = NO_OBSERVER } = this.options;
    const run = this.queue
      .then(() => this.publish(command))
      .then(
        (result) => {
          if (result.duplicate) observer.duplicate();
          else observer.groupCommitted(1, command.values.length);
          return result;
        },
        (error: unknown) => {
          if (error instanceof StorageFailure) observer.storageFailed(1);
          throw error;
        },
      )
      .finally(() => {
        this.publishing = '';
      });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async read(fromOffset: bigint, maxCount: number): Promise<EventBatch> {
    const head = this.follower.head;
    const available = head > fromOffset ? Number(head - fromOffset) : 0;
    const batch = allocateBatch(fromOffset, Math.min(maxCount, available));
    if (batch.count === 0) return batch;
    const lastSeq = this.follower.lastSeq;
    let seq = await this.locate(fromOffset, lastSeq);
    let filled = 0;
    while (filled < batch.count) {
      const message = await this.messageAt(seq, lastSeq);
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
    await this.queue;
    await this.subscriptions?.stop();
    this.follower.stop();
    await this.nc.drain().catch(() => undefined);
  }

  private async publish(command: AppendCommand): Promise<AppendResult> {
    const { config } = this.options;
    const payload = encodeValues(command.values);
    const count = command.values.length;
    const key = command.idempotencyKey ?? '';
    // A key maps to a fixed message id (hashed: ids travel in a header); an
    // unkeyed append gets one of its own, so our own retry after a lost ack is not stored twice.
    const msgID = key === '' ? `u-${randomUUID()}` : `k-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
    const deadline = Date.now() + config.appendTimeoutMs;
    this.publishing = msgID;
    let sent = false;
    for (let attempt = 0; ; attempt += 1) {
      const expected = command.expectedNextOffset;
      if (expected !== undefined && expected !== this.follower.head) {
        // Our head may be behind another gateway's appends; a keyed retry must answer duplicate first.
        if (key !== '') {
          const probe = await this.tryPublish(payload, msgID, PROBE_SEQUENCE, 0n, count, deadline);
          if (probe.kind === 'ack' && probe.ack.seq > 0) return this.duplicateOf(probe.ack, payload, key, sent);
          if (probe.kind === 'ack' || probe.kind === 'unsure') {
            await this.pause(attempt, false, deadline, probe.kind);
            continue;
          }
        }
        await this.freshHead(deadline);
        if (expected !== this.follower.head) throw new ExpectedOffsetMismatch(expected, this.follower.head);
      }
      const lastSeq = this.follower.lastSeq;
      const firstOffset = this.follower.head;
      const outcome = await this.tryPublish(payload, msgID, lastSeq, firstOffset, count, deadline);
      if (outcome.kind === 'ack' && outcome.ack.duplicate && outcome.ack.seq === 0) {
        // A clustered stream stages a message id before its proposal is applied: "duplicate of
        // sequence 0" means an attempt with this id is still in flight. Ask again shortly.
        sent = true;
      } else if (outcome.kind === 'ack') {
        if (outcome.ack.duplicate) return this.duplicateOf(outcome.ack, payload, key, sent);
        if (outcome.ack.seq !== lastSeq + 1) {
          throw new StorageFailure(`stream stored the append at sequence ${outcome.ack.seq}, expected ${lastSeq + 1}`);
        }
        this.follower.observe(outcome.ack.seq, firstOffset + BigInt(count));
        return { firstOffset, nextOffset: firstOffset + BigInt(count), duplicate: false };
      }
      if (outcome.kind === 'unsure') sent = true;
      else if (outcome.kind === 'conflict') {
        this.conflicts += 1;
        await this.catchUp(outcome.error, deadline);
      }
      // A conflict is another gateway winning the head: the head re-read above already spaces
      // attempts, so a short jittered wait (capped at 32 ms) is enough to break lockstep.
      await this.pause(attempt, outcome.kind === 'conflict', deadline, outcome.kind === 'ack' ? 'duplicate of sequence 0' : outcome.error);
    }
  }

  /** Waits a jittered backoff before the next attempt, or throws StorageUnavailable if that passes the append's deadline. */
  private async pause(attempt: number, conflict: boolean, deadline: number, last: string): Promise<void> {
    const wait = conflict ? backoffMs(attempt, 1, 32) : backoffMs(attempt, 50);
    if (Date.now() + wait >= deadline) {
      this.options.logger.error({ attempts: attempt + 1, last }, 'append gave up after its deadline');
      throw new StorageUnavailable(`append not acknowledged within ${this.options.config.appendTimeoutMs} ms (last: ${last})`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private async tryPublish(
    payload: Uint8Array,
    msgID: string,
    expectLastSeq: number,
    firstOffset: bigint,
    count: number,
    deadline: number,
  ): Promise<{ kind: 'ack'; ack: PubAck } | { kind: 'conflict' | 'unsure'; error: string }> {
    try {
      const ack = await this.js.publish(this.subject, payload, {
        msgID,
        expect: { lastSequence: expectLastSeq },
        headers: appendHeaders(firstOffset, count),
        timeout: Math.max(1, Math.min(this.options.config.requestTimeoutMs, deadline - Date.now())),
      });
      return { kind: 'ack', ack };
    } catch (error: unknown) {
      if (error instanceof JetStreamApiError && error.code === WRONG_LAST_SEQUENCE) return { kind: 'conflict', error: error.message };
      if (error instanceof JetStreamApiError && error.status !== 503) {
        // Refused for good (too large, sealed…): nothing was stored.
        this.options.logger.error({ err: error.message, code: error.code }, 'the stream refused an append');
        throw new StorageFailure(`the stream refused the append: ${error.message}`, { cause: error });
      }
      if ((error as Error).name === 'ClosedConnectionError') throw new StoreClosed();
      // Timeout, no responders, leader election: it may or may not have been stored; the msg id makes retrying safe.
      return { kind: 'unsure', error: messageOf(error) };
    }
  }

  /** The stream said "duplicate": compare the stored append's values with ours (the stream does not). */
  private async duplicateOf(ack: PubAck, payload: Uint8Array, key: string, sentBefore: boolean): Promise<AppendResult> {
    const stored = await this.fetch(ack.seq);
    const storedBytes = new Uint8Array(stored.values.buffer, stored.values.byteOffset, stored.values.byteLength);
    if (Buffer.compare(storedBytes, payload) !== 0) {
      if (key === '') throw new StorageFailure(`message id collision at sequence ${ack.seq}`);
      throw new IdempotencyKeyConflict(key);
    }
    const nextOffset = stored.firstOffset + BigInt(stored.count);
    // Our own earlier attempt landed (its ack was lost): for the client this is the first append.
    return { firstOffset: stored.firstOffset, nextOffset, duplicate: key !== '' && !sentBefore };
  }

  /**
   * After "wrong last sequence: N": the stream says where its head is, so
   * read message N (usually cached already by the head follower) instead of
   * asking for the last message again; falls back to a fresh head read.
   */
  private async catchUp(conflict: string, deadline: number): Promise<void> {
    const last = Number(/wrong last sequence: (\d+)/.exec(conflict)?.[1] ?? NaN);
    // The head follower got there first (it is woken by every publish).
    if (Number.isSafeInteger(last) && last <= this.follower.lastSeq) return;
    if (Number.isSafeInteger(last)) {
      try {
        const message = await this.fetch(last);
        this.follower.observe(message.seq, message.firstOffset + BigInt(message.count));
        return;
      } catch {
        // Fall through: read the head the ordinary way.
      }
    }
    await this.freshHead(deadline);
  }

  private async freshHead(deadline: number): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.follower.refresh();
      } catch (error: unknown) {
        const wait = backoffMs(attempt, 50);
        if (Date.now() + wait >= deadline) throw new StorageUnavailable(`cannot read the stream's head: ${messageOf(error)}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /**
   * The sequence of the message holding `offset` (below the head): the
   * cache knows where a forward reader goes next; otherwise a binary search
   * over sequences by the first-offset header, O(log n) message gets.
   */
  private async locate(offset: bigint, lastSeq: number): Promise<number> {
    const next = this.cache.seqStartingAt(offset);
    if (next !== undefined && next <= lastSeq) return next;
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

  /** The message at `seq`, fetching a few following ones at once (a forward reader will want them). */
  private messageAt(seq: number, lastSeq: number): Promise<AppendMessage> {
    const cached = this.cache.get(seq);
    if (cached) return Promise.resolve(cached);
    for (let ahead = seq + 1; ahead <= Math.min(lastSeq, seq + READ_AHEAD - 1); ahead += 1) {
      if (!this.cache.get(ahead)) void this.fetch(ahead).catch(() => undefined);
    }
    return this.fetch(seq);
  }

  /** Gets one message through the stream leader (direct get may be stale) and caches it. */
  private fetch(seq: number): Promise<AppendMessage> {
    const cached = this.cache.get(seq);
    if (cached) return Promise.resolve(cached);
    let pending = this.fetching.get(seq);
    if (!pending) {
      pending = this.jsm.streams
        .getMessage(this.options.config.stream, { seq })
        .then((stored) => {
          if (!stored) throw new StorageFailure(`stream message ${seq} is missing`);
          const message = decodeAppendMessage(stored);
          this.cache.put(message);
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

/** Jittered exponential backoff: `baseMs` doubling per attempt, capped at `capMs`, times 0.5–1.5. */
function backoffMs(attempt: number, baseMs: number, capMs = 500): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt, 10)) * (0.5 + Math.random());
}

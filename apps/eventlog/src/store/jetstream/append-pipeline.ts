import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '@hello-es/process';
import { JetStreamApiError, type PubAck } from '@nats-io/jetstream';
import { AppendQueueFull, ExpectedOffsetMismatch, IdempotencyKeyConflict, messageOf, StorageFailure, StorageUnavailable, StoreClosed } from '../../errors';
import type { AppendCommand, AppendResult } from '../log-store';
import { NO_OBSERVER, type LogStoreObserver } from '../log-store-observer';
import { appendHeaders, encodeValues, type AppendMessage } from './append-message';
import { PublisherClosed, type JetStreamPublisher } from './jetstream-publisher';

const WRONG_LAST_MSG_ID = 10_070;
const WRONG_LAST_SEQUENCE = 10_071;
/** An expected last sequence no stream reaches: a publish that only asks "is this message id a duplicate?". */
const PROBE_SEQUENCE = Number.MAX_SAFE_INTEGER;
/** Appends one group message holds at most by default. */
export const DEFAULT_GROUP_APPENDS = 1_024;
/**
 * Payload bytes of one group message at most by default: 8,192 values. Larger
 * messages would slow catch-up reads, whose read-ahead is bounded by values
 * (jetstream-log-store.ts): with groups of up to 32,768 values W2's
 * Subscribe from 0 read 624,665 events/s against 887,258 with this bound
 * (docs/jetstream.md). The gateway lowers it below the server's max_payload.
 */
export const DEFAULT_GROUP_BYTES = 65_536;

/** What the pipeline needs of the head follower (head-follower.ts). */
export interface FollowedHead {
  /** The last stored message's sequence as known (0: empty stream). */
  readonly lastSeq: number;
  /** The next offset after that message. */
  readonly head: bigint;
  /** Records a message known to be stored; never moves back. */
  observe(seq: number, nextOffset: bigint): void;
  /** Re-reads the head from the stream leader. */
  refresh(): Promise<void>;
  /** The stream leader just acknowledged a publish (health: it is reachable). */
  leaderAnswered(): void;
}

export interface AppendPipelineOptions {
  readonly publisher: Pick<JetStreamPublisher, 'publish'>;
  readonly subject: string;
  readonly follower: FollowedHead;
  /** Reads a stored message through the stream leader (the duplicate check compares its values). */
  readonly fetch: (seq: number) => Promise<AppendMessage>;
  /** NATS_PUBLISHES_IN_FLIGHT: publishes of this gateway awaiting their ack at once. */
  readonly maxInFlight: number;
  /** NATS_APPENDS_WAITING: appends queued behind those in flight; one more is refused with AppendQueueFull. */
  readonly maxWaiting: number;
  readonly requestTimeoutMs: number;
  readonly appendTimeoutMs: number;
  /** Appends one message may hold (1: one message per append; default DEFAULT_GROUP_APPENDS). */
  readonly maxGroupAppends?: number;
  /** Payload bytes one group message may hold (default DEFAULT_GROUP_BYTES); a single larger append still goes alone. */
  readonly maxGroupBytes?: number;
  readonly logger: Logger;
  readonly observer?: LogStoreObserver;
  /**
   * Called with each append this pipeline stored, as it is in the stream, so
   * the gateway can serve its own appends to subscribers without reading
   * them back (one STREAM.MSG.GET per message otherwise).
   */
  readonly onStored?: (message: AppendMessage) => void;
}

type Outcome =
  | { readonly kind: 'ack'; readonly ack: PubAck }
  /** The stream refused the expectations (10071 wrong last sequence, 10070 wrong last msg id): nothing stored. */
  | { readonly kind: 'conflict'; readonly error: string }
  /** Timeout, no responders, election: it may or may not have been stored. */
  | { readonly kind: 'unsure'; readonly error: string }
  /** Refused for good (too large, sealed, connection closed): nothing stored, the append fails. */
  | { readonly kind: 'failed'; readonly error: Error };

/** The tail a publish chains onto: the stream's last message as this gateway predicts it. */
interface Tail {
  readonly seq: number;
  readonly nextOffset: bigint;
  /** The message id of the tail when it is our own in-flight publish ('' for the head follower's head). */
  readonly msgID: string;
}

interface Entry {
  readonly command: AppendCommand;
  readonly payload: Uint8Array;
  /** The append time (Hello-Es-Time), fixed when the append is taken so a republish carries the same. */
  readonly timeMs: number;
  readonly count: number;
  readonly key: string;
  readonly msgID: string;
  readonly deadline: number;
  /** An earlier attempt may have been stored (timeout, election): then it is republished at the end of a chain. */
  maybeStored: boolean;
  /** Of the attempt in flight. */
  seq: number;
  firstOffset: bigint;
  outcome: Outcome | undefined;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
  /** Settles the callers' promises without telling the observer (a group tells it once for all its members). */
  readonly answer: (outcome: { result: AppendResult } | { error: unknown }) => void;
  /** Appends this entry holds: 1, or a group's members. */
  readonly appends: number;
}

/**
 * Publishes a gateway's appends with up to `maxInFlight` in flight, and
 * keeps offsets dense whoever else appends (docs/jetstream.md, "Append").
 * The first publish of a chain expects the last sequence the head follower
 * knows; each later one expects its predecessor's predicted sequence AND
 * its message id, so the stream itself stores it directly after ours (or
 * not at all) and its first-offset header is right. Acks are taken in
 * order; when one fails, every later one in the chain fails with it: the
 * head is re-read and the failed ones are republished in their order after
 * a jittered backoff, with the same message ids (one that did land is
 * answered as a duplicate, never stored twice), until their deadline.
 *
 * A chain may continue only after an unkeyed append none of whose attempts
 * may already be stored: a message id that might be in the stream already
 * (a key, or an attempt whose ack was lost) could make "last msg id" true
 * for a message other than the one predicted. Such an append ends a chain;
 * the next is published when its ack is in.
 *
 * Group messages: unkeyed appends without expected_next_offset that wait
 * together are published as one message (the JetStream form of a group
 * commit: the stream's per-message cost is paid once per group). Each stays
 * atomic, since a message is; they take consecutive offsets in the order
 * given; the group is retried as a unit, with one message id, so it is
 * stored whole or not at all. A keyed or conditional append always has a
 * message of its own (its id is its key; its condition is checked on its
 * own), and never joins a group.
 */
export class AppendPipeline {
  private readonly waiting: Entry[] = [];
  private readonly inFlight: Entry[] = [];
  /** Failed in the current chain, to republish in order once every ack of the chain is in. */
  private readonly failed: Entry[] = [];
  private lastFailure: Outcome | undefined;
  /** True from a failure in the chain until its republish starts: nothing new is published meanwhile. */
  private broken = false;
  /** The head re-read and backoff before a republish, or the exact check of a conditional append. */
  private busy = false;
  private pumpScheduled = false;
  /** Consecutive republish rounds (the backoff's exponent); reset by a stored append. */
  private rounds = 0;
  /** Appends given and not yet answered (close() waits for them). */
  private open = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly ownIds = new Set<string>();
  /** Publishes the stream refused because another gateway appended first (each later retried). */
  conflicts = 0;
  /** The most publishes that were in flight at once (a figure for tests and measurements). */
  peakInFlight = 0;

  constructor(private readonly options: AppendPipelineOptions) {}

  /** True for the message id of one of our publishes in flight (the head follower needs no read for it). */
  isInFlight(msgID: string): boolean {
    return this.ownIds.has(msgID);
  }

  append(command: AppendCommand): Promise<AppendResult> {
    const { observer = NO_OBSERVER } = this.options;
    const key = command.idempotencyKey ?? '';
    const count = command.values.length;
    // Bounded, so that a gateway NATS cannot keep up with refuses load instead of buffering it without end.
    if (this.waiting.length >= this.options.maxWaiting) return Promise.reject(new AppendQueueFull(this.options.maxWaiting));
    this.open += 1;
    return new Promise<AppendResult>((resolve, reject) => {
      this.waiting.push({
        command,
        payload: encodeValues(command.values),
        timeMs: Date.now(),
        count,
        key,
        // A key maps to a fixed message id (hashed: ids travel in a header); an unkeyed
        // append gets one of its own, so our own retry after a lost ack is not stored twice.
        msgID: key === '' ? `u-${randomUUID()}` : `k-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`,
        deadline: Date.now() + this.options.appendTimeoutMs,
        maybeStored: false,
        seq: 0,
        firstOffset: 0n,
        outcome: undefined,
        resolve: (result) => {
          this.settled();
          if (result.duplicate) observer.duplicate();
          else observer.groupCommitted(1, count);
          resolve(result);
        },
        reject: (error) => {
          this.settled();
          if (error instanceof StorageFailure) observer.storageFailed(1);
          reject(error);
        },
        answer: (outcome) => {
          this.settled();
          if ('result' in outcome) resolve(outcome.result);
          else reject(outcome.error);
        },
        appends: 1,
      });
      this.schedulePump();
    });
  }

  /**
   * Publishes what arrived in this event-loop turn together: appends come in
   * one gRPC message per I/O callback, and nats.js writes what was published
   * within one microtask checkpoint as one socket write, so publishing each
   * at once costs a write per append (the gateway's busiest function).
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Resolves once every append given so far is settled. */
  idle(): Promise<void> {
    return this.open === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settled(): void {
    this.open -= 1;
    if (this.open === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Publishes waiting appends while the chain allows it. */
  private pump(): void {
    while (!this.broken && !this.busy && this.waiting.length > 0 && this.inFlight.length < this.options.maxInFlight) {
      const last = this.inFlight.at(-1);
      if (last && (last.key !== '' || last.maybeStored)) return;
      const entry = this.waiting[0] as Entry;
      if (Date.now() >= entry.deadline) {
        this.waiting.shift();
        this.giveUp(entry);
        continue;
      }
      const tail: Tail = last
        ? { seq: last.seq, nextOffset: last.firstOffset + BigInt(last.count), msgID: last.msgID }
        : { seq: this.options.follower.lastSeq, nextOffset: this.options.follower.head, msgID: '' };
      const expected = entry.command.expectedNextOffset;
      if (expected !== undefined && expected !== tail.nextOffset) {
        // Decided against the stream's real head once ours in flight are in.
        if (last) return;
        this.waiting.shift();
        this.busy = true;
        void this.checkCondition(entry).finally(() => {
          this.busy = false;
          this.pump();
        });
        return;
      }
      this.waiting.shift();
      this.send(this.grouped(entry), tail);
    }
  }

  /**
   * `first` (just taken from `waiting`) with the groupable appends waiting
   * right behind it, as one entry whose result is split among them; `first`
   * itself when it cannot lead a group or nothing joins it.
   */
  private grouped(first: Entry): Entry {
    const maxAppends = this.options.maxGroupAppends ?? DEFAULT_GROUP_APPENDS;
    const maxBytes = this.options.maxGroupBytes ?? DEFAULT_GROUP_BYTES;
    if (!groupable(first) || maxAppends === 1) return first;
    const now = Date.now();
    let bytes = first.payload.byteLength;
    let joining = 0;
    while (joining < this.waiting.length && joining + 1 < maxAppends) {
      const next = this.waiting[joining] as Entry;
      if (!groupable(next) || now >= next.deadline || bytes + next.payload.byteLength > maxBytes) break;
      bytes += next.payload.byteLength;
      joining += 1;
    }
    if (joining === 0) return first;
    return groupOf([first, ...this.waiting.splice(0, joining)], bytes, this.options.observer ?? NO_OBSERVER);
  }

  private send(entry: Entry, tail: Tail): void {
    entry.seq = tail.seq + 1;
    entry.firstOffset = tail.nextOffset;
    entry.outcome = undefined;
    this.inFlight.push(entry);
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight.length);
    this.ownIds.add(entry.msgID);
    const expect = tail.msgID === '' ? { lastSequence: tail.seq } : { lastSequence: tail.seq, lastMsgID: tail.msgID };
    void this.tryPublish(entry, expect, entry.firstOffset).then((outcome) => {
      entry.outcome = outcome;
      this.settle();
    });
  }

  /** Takes the acks of the chain in order (a later ack means nothing until the earlier ones are in). */
  private settle(): void {
    for (let entry = this.inFlight[0]; entry?.outcome !== undefined; entry = this.inFlight[0]) {
      const outcome = entry.outcome;
      this.inFlight.shift();
      this.ownIds.delete(entry.msgID);
      switch (outcome.kind) {
        case 'ack':
          this.acknowledged(entry, outcome.ack);
          break;
        case 'conflict':
          this.conflicts += 1;
          this.fail(entry, outcome);
          break;
        case 'unsure':
          entry.maybeStored = true;
          this.fail(entry, outcome);
          break;
        case 'failed':
          entry.reject(outcome.error);
          // Nothing stored: the chain after it fails and is republished.
          if (this.inFlight.length > 0) this.broken = true;
          break;
      }
    }
    if (this.broken && this.inFlight.length === 0) void this.republish();
    // Not at once: acks come in many socket reads (on R3 each as its proposal commits), and
    // nats.js flushes what one microtask checkpoint published as one write; publishing from
    // each ack cost a write per publish (a third of an R3 gateway's CPU at 64 in flight).
    else this.schedulePump();
  }

  private acknowledged(entry: Entry, ack: PubAck): void {
    this.options.follower.leaderAnswered();
    if (ack.duplicate && ack.seq === 0) {
      // A clustered stream stages a message id before its proposal is applied: "duplicate of
      // sequence 0" means an attempt with this id is still in flight. Ask again shortly.
      entry.maybeStored = true;
      this.fail(entry, { kind: 'unsure', error: 'duplicate of sequence 0' });
      return;
    }
    if (ack.duplicate) {
      // Stored nothing now (the ids that can be duplicates end a chain, so nothing was chained on it).
      this.duplicateOf(entry, ack).then(entry.resolve, entry.reject);
      return;
    }
    if (this.failed.length > 0) {
      // Chained onto appends whose acks were lost: the stream stored this one right after them,
      // so they are stored where predicted.
      for (const earlier of this.failed.splice(0)) {
        if (earlier.maybeStored) this.stored(earlier);
        else {
          // Cannot happen (a refused publish leaves no message for a later one to chain onto).
          this.options.logger.error({ seq: ack.seq, expected: earlier.seq }, 'a chained publish was stored after a refused one');
          earlier.reject(new StorageFailure(`a chained publish was stored after a refused one at sequence ${earlier.seq}`));
        }
      }
      this.lastFailure = undefined;
      this.broken = false;
    }
    if (ack.seq !== entry.seq) {
      entry.reject(new StorageFailure(`stream stored the append at sequence ${ack.seq}, expected ${entry.seq}`));
      return;
    }
    this.stored(entry);
  }

  private stored(entry: Entry): void {
    this.rounds = 0;
    const nextOffset = entry.firstOffset + BigInt(entry.count);
    this.options.follower.observe(entry.seq, nextOffset);
    // A group's payload is its own; a single append's is the caller's values column, not ours to keep: a copy.
    const values = new BigInt64Array(entry.appends > 1 ? entry.payload.buffer : entry.payload.slice().buffer);
    this.options.onStored?.({ seq: entry.seq, firstOffset: entry.firstOffset, count: entry.count, values, timeMs: entry.timeMs });
    entry.resolve({ firstOffset: entry.firstOffset, nextOffset, duplicate: false });
  }

  private fail(entry: Entry, outcome: Outcome): void {
    this.failed.push(entry);
    this.broken = true;
    // The first failure of a chain is its cause (the later ones fail because of it).
    if (this.failed.length === 1) this.lastFailure = outcome;
  }

  /**
   * Every ack of a broken chain is in: catch up with the head, wait a
   * jittered backoff, and queue the failed appends again in front, in order.
   */
  private async republish(): Promise<void> {
    this.broken = false;
    this.busy = true;
    const again = this.failed.splice(0);
    const cause = this.lastFailure;
    this.lastFailure = undefined;
    const attempt = this.rounds;
    this.rounds += 1;
    try {
      const conflict = cause?.kind === 'conflict';
      if (conflict) await this.catchUp(cause.error).catch(() => undefined);
      // A conflict is another gateway winning the head: the head re-read already spaces
      // attempts, so a short wait (capped at 32 ms) is enough to break lockstep.
      const wait = conflict ? backoffMs(attempt, 1, 32) : backoffMs(attempt, 50);
      const keep = again.filter((entry) => {
        if (Date.now() + wait < entry.deadline) return true;
        this.giveUp(entry, cause);
        return false;
      });
      if (keep.length > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.waiting.unshift(...keep);
    } finally {
      this.busy = false;
      this.pump();
    }
  }

  private giveUp(entry: Entry, cause?: Outcome): void {
    const last = cause === undefined ? 'queued too long' : cause.kind === 'ack' ? 'duplicate' : messageOf(cause.error);
    this.options.logger.error({ rounds: this.rounds, last }, 'append gave up after its deadline');
    entry.reject(new StorageUnavailable(`append not acknowledged within ${this.options.appendTimeoutMs} ms (last: ${last})`));
  }

  /**
   * A conditional append whose expected_next_offset is not the predicted
   * head, with nothing of ours in flight: our head may lag another
   * gateway's appends, so decide against the stream's. A keyed (or maybe
   * stored) append must answer duplicate first: the stream checks message
   * ids before expectations.
   */
  private async checkCondition(entry: Entry): Promise<void> {
    const expected = entry.command.expectedNextOffset;
    try {
      if (entry.key !== '' || entry.maybeStored) {
        const probe = await this.tryPublish(entry, { lastSequence: PROBE_SEQUENCE }, 0n);
        if (probe.kind === 'ack' && probe.ack.seq > 0) {
          entry.resolve(await this.duplicateOf(entry, probe.ack));
          return;
        }
        if (probe.kind === 'failed') throw probe.error;
        if (probe.kind !== 'conflict') {
          // Unsure, or staged by an attempt in flight: ask again after a backoff.
          if (probe.kind === 'unsure') entry.maybeStored = true;
          const wait = backoffMs(this.rounds, 50);
          this.rounds += 1;
          if (Date.now() + wait >= entry.deadline) return this.giveUp(entry, probe);
          await new Promise((resolve) => setTimeout(resolve, wait));
          this.waiting.unshift(entry);
          return;
        }
      }
      await this.freshHead(entry.deadline);
      const head = this.options.follower.head;
      if (expected !== head) throw new ExpectedOffsetMismatch(expected ?? 0n, head);
      // The head is as expected: publish it with the chain's check.
      this.waiting.unshift(entry);
    } catch (error: unknown) {
      entry.reject(error);
    }
  }

  private async tryPublish(entry: Entry, expect: { lastSequence: number; lastMsgID?: string }, firstOffset: bigint): Promise<Outcome> {
    try {
      const ack = await this.options.publisher.publish(this.options.subject, entry.payload, {
        msgID: entry.msgID,
        expect,
        headers: appendHeaders(firstOffset, entry.count, entry.timeMs),
        timeout: Math.max(1, Math.min(this.options.requestTimeoutMs, entry.deadline - Date.now())),
      });
      return { kind: 'ack', ack };
    } catch (error: unknown) {
      if (error instanceof JetStreamApiError && (error.code === WRONG_LAST_SEQUENCE || error.code === WRONG_LAST_MSG_ID)) {
        return { kind: 'conflict', error: error.message };
      }
      if (error instanceof JetStreamApiError && error.status !== 503) {
        this.options.logger.error({ err: error.message, code: error.code }, 'the stream refused an append');
        return { kind: 'failed', error: new StorageFailure(`the stream refused the append: ${error.message}`, { cause: error }) };
      }
      if (error instanceof PublisherClosed || (error as Error).name === 'ClosedConnectionError') return { kind: 'failed', error: new StoreClosed() };
      // Timeout, no responders, leader election: it may or may not have been stored; the msg id makes retrying safe.
      return { kind: 'unsure', error: messageOf(error) };
    }
  }

  /** The stream said "duplicate": compare the stored append's values with ours (the stream does not). */
  private async duplicateOf(entry: Entry, ack: PubAck): Promise<AppendResult> {
    const stored = await this.options.fetch(ack.seq);
    const storedBytes = new Uint8Array(stored.values.buffer, stored.values.byteOffset, stored.values.byteLength);
    if (Buffer.compare(storedBytes, entry.payload) !== 0) {
      if (entry.key === '') throw new StorageFailure(`message id collision at sequence ${ack.seq}`);
      throw new IdempotencyKeyConflict(entry.key);
    }
    const nextOffset = stored.firstOffset + BigInt(stored.count);
    // Our own earlier attempt landed (its ack was lost): for the client this is the first append.
    return { firstOffset: stored.firstOffset, nextOffset, duplicate: entry.key !== '' && !entry.maybeStored };
  }

  /**
   * After "wrong last sequence: N": the stream says where its head is, so
   * read message N (usually cached already by the head follower) instead of
   * asking for the last message again; falls back to a fresh head read.
   */
  private async catchUp(conflict: string): Promise<void> {
    const last = Number(/wrong last sequence: (\d+)/.exec(conflict)?.[1] ?? NaN);
    const { follower } = this.options;
    // The head follower got there first (it is woken by every publish).
    if (Number.isSafeInteger(last) && last <= follower.lastSeq) return;
    if (Number.isSafeInteger(last)) {
      try {
        const message = await this.options.fetch(last);
        follower.observe(message.seq, message.firstOffset + BigInt(message.count));
        return;
      } catch {
        // Fall through: read the head the ordinary way.
      }
    }
    await this.freshHead(Date.now() + this.options.requestTimeoutMs);
  }

  private async freshHead(deadline: number): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.options.follower.refresh();
      } catch (error: unknown) {
        const wait = backoffMs(attempt, 50);
        if (Date.now() + wait >= deadline) throw new StorageUnavailable(`cannot read the stream's head: ${messageOf(error)}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}

/**
 * Can share a message: unkeyed (its id is its own), unconditional, and no
 * earlier attempt may be stored (a maybe-stored append must be retried with
 * exactly the message it was, to be found as a duplicate).
 */
function groupable(entry: Entry): boolean {
  return entry.key === '' && !entry.maybeStored && entry.command.expectedNextOffset === undefined;
}

/** One entry for `members` (in order): their values in one payload, its result split by their counts. */
function groupOf(members: readonly Entry[], bytes: number, observer: LogStoreObserver): Entry {
  // A fresh buffer: 8-byte aligned for the values column, and ours to keep.
  const payload = new Uint8Array(bytes);
  let at = 0;
  let count = 0;
  let appends = 0;
  let deadline = Number.POSITIVE_INFINITY;
  for (const member of members) {
    payload.set(member.payload, at);
    at += member.payload.byteLength;
    count += member.count;
    appends += member.appends;
    deadline = Math.min(deadline, member.deadline);
  }
  const answer = (outcome: { result: AppendResult } | { error: unknown }): void => {
    if ('error' in outcome) {
      for (const member of members) member.answer(outcome);
      return;
    }
    let offset = outcome.result.firstOffset;
    for (const member of members) {
      const next = offset + BigInt(member.count);
      member.answer({ result: { firstOffset: offset, nextOffset: next, duplicate: false } });
      offset = next;
    }
  };
  return {
    command: { values: new BigInt64Array(payload.buffer) },
    payload,
    timeMs: (members[0] as Entry).timeMs,
    count,
    key: '',
    msgID: `u-${randomUUID()}`,
    deadline,
    maybeStored: false,
    seq: 0,
    firstOffset: 0n,
    outcome: undefined,
    // One message: one group commit of all its members.
    resolve: (result) => {
      observer.groupCommitted(appends, count);
      answer({ result });
    },
    reject: (error) => {
      if (error instanceof StorageFailure) observer.storageFailed(appends);
      answer({ error });
    },
    answer,
    appends,
  };
}

/** Jittered exponential backoff: `baseMs` doubling per attempt, capped at `capMs`, times 0.5–1.5. */
function backoffMs(attempt: number, baseMs: number, capMs = 500): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt, 10)) * (0.5 + Math.random());
}

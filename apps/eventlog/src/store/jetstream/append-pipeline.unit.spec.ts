import { JetStreamApiError, type PubAck } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import pino from 'pino';
import { AppendQueueFull, ExpectedOffsetMismatch, IdempotencyKeyConflict, StorageFailure } from '../../errors';
import type { AppendResult } from '../log-store';
import { COUNT_HEADER, FIRST_OFFSET_HEADER, type AppendMessage } from './append-message';
import { NO_OBSERVER } from '../log-store-observer';
import { AppendPipeline, type FollowedHead } from './append-pipeline';

interface Stored {
  readonly id: string;
  readonly firstOffset: bigint;
  readonly count: number;
  readonly payload: Uint8Array;
}

interface PublishOptions {
  readonly msgID: string;
  readonly expect: { lastSequence: number; lastMsgID?: string };
  readonly headers: MsgHdrs;
}

const apiError = (code: number, description: string) => new JetStreamApiError({ code: 400, err_code: code, description });

/**
 * A stream as JetStream 2.9 applies publishes (in arrival order, checked
 * for the things the pipeline relies on: message id dedupe first, then the
 * expected last sequence, then the expected last message id), with faults
 * to inject: a lost ack (stored, but the publisher sees a timeout), a
 * refusal, another gateway's append at a given length.
 */
class FakeStream {
  readonly messages: Stored[] = [];
  readonly loseAckOf = new Set<string>();
  readonly refuse = new Set<string>();
  /** Faults by the number of the publish sent (1-based), for publishes whose ids are not known before: */
  readonly loseAckOfSent = new Set<number>();
  readonly refuseSent = new Set<number>();
  /** Appends by "another gateway" when the stream reaches a length. */
  readonly foreignAt = new Map<number, number>();
  /** Message ids in the order they were sent (the pipeline sends what arrived in one event-loop turn together, in order). */
  readonly sent: string[] = [];
  inFlight = 0;
  peakInFlight = 0;
  /** A message whose first-offset header did not continue the log: what the pipeline must never cause. */
  misplaced = 0;

  publish = (_subject: string, payload: Uint8Array, options: PublishOptions): Promise<PubAck> => {
    this.sent.push(options.msgID);
    if (this.loseAckOfSent.delete(this.sent.length)) this.loseAckOf.add(options.msgID);
    if (this.refuseSent.delete(this.sent.length)) this.refuse.add(options.msgID);
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    return new Promise<PubAck>((resolve, reject) => {
      // setImmediate callbacks run in order: publishes are applied as they were sent.
      setImmediate(() => {
        this.inFlight -= 1;
        try {
          resolve(this.apply(payload, options));
        } catch (error: unknown) {
          reject(error);
        }
      });
    });
  };

  append(count: number, id = `other-${this.messages.length}`): void {
    this.messages.push({ id, firstOffset: this.head, count, payload: new Uint8Array(count * 8) });
  }

  get head(): bigint {
    const last = this.messages.at(-1);
    return last ? last.firstOffset + BigInt(last.count) : 0n;
  }

  message(seq: number): AppendMessage {
    const stored = this.messages[seq - 1];
    if (!stored) throw new Error(`no message ${seq}`);
    const values = new BigInt64Array(stored.count);
    new Uint8Array(values.buffer).set(stored.payload);
    return { seq, firstOffset: stored.firstOffset, count: stored.count, values, timeMs: 0 };
  }

  private apply(payload: Uint8Array, { msgID, expect, headers }: PublishOptions): PubAck {
    const foreign = this.foreignAt.get(this.messages.length);
    if (foreign !== undefined) {
      this.foreignAt.delete(this.messages.length);
      this.append(foreign);
    }
    const ack = (seq: number, duplicate: boolean) => ({ stream: 'FAKE', seq, duplicate, domain: '' }) as PubAck;
    const earlier = this.messages.findIndex((stored) => stored.id === msgID);
    if (earlier >= 0) return ack(earlier + 1, true);
    if (expect.lastSequence !== this.messages.length) throw apiError(10_071, `wrong last sequence: ${this.messages.length}`);
    const lastId = this.messages.at(-1)?.id ?? '';
    if (expect.lastMsgID !== undefined && expect.lastMsgID !== lastId) throw apiError(10_070, `wrong last msg ID: ${lastId}`);
    if (this.refuse.delete(msgID)) throw apiError(10_054, 'message size exceeds maximum allowed');
    const firstOffset = BigInt(headers.get(FIRST_OFFSET_HEADER));
    const count = Number(headers.get(COUNT_HEADER));
    if (firstOffset !== this.head) this.misplaced += 1;
    this.messages.push({ id: msgID, firstOffset, count, payload: payload.slice() });
    if (this.loseAckOf.delete(msgID)) throw Object.assign(new Error('timeout'), { name: 'TimeoutError' });
    return ack(this.messages.length, false);
  }
}

/** One message per append unless `maxGroupAppends` says otherwise: most cases here are about chains, not groups. */
function setUp(maxInFlight = 16, maxWaiting = 16_384, maxGroupAppends = 1, maxGroupBytes?: number) {
  const stream = new FakeStream();
  const commits: { appends: number; events: number }[] = [];
  const observer = { ...NO_OBSERVER, groupCommitted: (appends: number, events: number) => void commits.push({ appends, events }) };
  let known = { seq: 0, head: 0n };
  const health = { answers: 0 };
  const follower: FollowedHead = {
    get lastSeq() {
      return known.seq;
    },
    get head() {
      return known.head;
    },
    observe(seq, nextOffset) {
      if (seq > known.seq) known = { seq, head: nextOffset };
    },
    refresh: async () => {
      known = { seq: stream.messages.length, head: stream.head };
    },
    leaderAnswered: () => void (health.answers += 1),
  };
  const pipeline = new AppendPipeline({
    publisher: stream,
    subject: 'fake',
    follower,
    fetch: async (seq) => stream.message(seq),
    maxInFlight,
    maxWaiting,
    requestTimeoutMs: 1_000,
    appendTimeoutMs: 10_000,
    maxGroupAppends,
    ...(maxGroupBytes === undefined ? {} : { maxGroupBytes }),
    observer,
    logger: pino({ level: 'silent' }),
  });
  return { stream, pipeline, health, commits };
}

/** Every acknowledged append's values sit at the offsets its result gave, and the log is dense. */
function expectAtTheirOffsets(stream: FakeStream, results: readonly AppendResult[], valuesOf: (index: number) => bigint[]): void {
  const log: bigint[] = [];
  for (const [index, stored] of stream.messages.entries()) {
    expect(stored.firstOffset).toBe(BigInt(log.length));
    log.push(...stream.message(index + 1).values);
  }
  expect(stream.misplaced).toBe(0);
  expect(new Set(stream.messages.map((stored) => stored.id)).size).toBe(stream.messages.length);
  results.forEach((result, index) => {
    const values = valuesOf(index);
    expect(result.nextOffset - result.firstOffset).toBe(BigInt(values.length));
    expect(log.slice(Number(result.firstOffset), Number(result.nextOffset))).toEqual(values);
  });
}

const valuesOf = (index: number) => Array.from({ length: 1 + (index % 3) }, (_, part) => BigInt(index * 10 + part));

describe('the append pipeline (against a model of the stream)', () => {
  it('keeps up to NATS_PUBLISHES_IN_FLIGHT publishes in flight, all dense', async () => {
    const { stream, pipeline } = setUp(16);
    const results = await Promise.all(Array.from({ length: 100 }, (_, index) => pipeline.append({ values: valuesOf(index) })));
    expectAtTheirOffsets(stream, results, valuesOf);
    expect(stream.messages).toHaveLength(100);
    expect(stream.peakInFlight).toBe(16);
    expect(pipeline.peakInFlight).toBe(16);
  });

  it('tells the head follower of every ack (health: the stream leader answers)', async () => {
    const { pipeline, health } = setUp(4);
    await Promise.all(Array.from({ length: 10 }, (_, index) => pipeline.append({ values: valuesOf(index) })));
    expect(health.answers).toBe(10);
  });

  it('refuses an append beyond NATS_APPENDS_WAITING with AppendQueueFull, publishing nothing of it, and takes appends again once the queue drains', async () => {
    const { stream, pipeline } = setUp(2, 3);
    const taken = Array.from({ length: 3 }, (_, index) => pipeline.append({ values: valuesOf(index) }));
    await expect(pipeline.append({ values: [99n] })).rejects.toBeInstanceOf(AppendQueueFull);
    const results = await Promise.all(taken);
    expectAtTheirOffsets(stream, results, valuesOf);
    expect(stream.messages).toHaveLength(3);
    expect(stream.sent).toHaveLength(3);
    const after = await pipeline.append({ values: [7n] });
    expect(after.firstOffset).toBe(stream.head - 1n);
    expect(stream.messages).toHaveLength(4);
  });

  it('publishes one at a time with NATS_PUBLISHES_IN_FLIGHT=1', async () => {
    const { stream, pipeline } = setUp(1);
    await Promise.all(Array.from({ length: 10 }, (_, index) => pipeline.append({ values: valuesOf(index) })));
    expect(stream.peakInFlight).toBe(1);
  });

  /** An unsure publish that a later chained one proves stored: answered with its offsets, stored once. */
  it('answers an append whose ack was lost in the middle of a chain with the offsets it was stored at', async () => {
    const { stream, pipeline } = setUp(16);
    stream.loseAckOfSent.add(6);
    const appends = Array.from({ length: 20 }, (_, index) => pipeline.append({ values: valuesOf(index) }));
    const results = await Promise.all(appends);
    expectAtTheirOffsets(stream, results, valuesOf);
    expect(stream.messages).toHaveLength(20);
  });

  /** A lost ack with nothing chained after it: republished with its id, found as a duplicate, never stored twice. */
  it('republishes the last append after a lost ack and finds it stored, not storing it twice', async () => {
    const { stream, pipeline } = setUp(16);
    await pipeline.append({ values: [1n] });
    stream.loseAckOfSent.add(2);
    const lost = pipeline.append({ values: [2n, 3n] });
    expect(await lost).toEqual({ firstOffset: 1n, nextOffset: 3n, duplicate: false });
    expect(await pipeline.append({ values: [4n] })).toEqual({ firstOffset: 3n, nextOffset: 4n, duplicate: false });
    expect(stream.messages.map((stored) => stored.count)).toEqual([1, 2, 1]);
  });

  /** Another gateway appending mid-chain: every later publish fails (10071/10070) and is republished after it, in order. */
  it('republishes the rest of a chain after another gateway appended, dense and in order', async () => {
    const { stream, pipeline } = setUp(16);
    stream.foreignAt.set(5, 2).set(30, 7);
    const results = await Promise.all(Array.from({ length: 60 }, (_, index) => pipeline.append({ values: valuesOf(index) })));
    expectAtTheirOffsets(stream, results, valuesOf);
    expect(stream.messages).toHaveLength(62);
    expect(pipeline.conflicts).toBeGreaterThan(0);
    // Ours stay in the order they were given.
    const ours = results.map((result) => result.firstOffset);
    expect([...ours].sort((a, b) => (a < b ? -1 : 1))).toEqual(ours);
  });

  it('fails only the append the stream refuses; the ones chained after it are stored', async () => {
    const { stream, pipeline } = setUp(16);
    stream.refuseSent.add(6);
    const appends = Array.from({ length: 12 }, (_, index) => pipeline.append({ values: valuesOf(index) }));
    const outcomes = await Promise.allSettled(appends);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => (outcome as PromiseRejectedResult).reason)).toEqual([
      expect.any(StorageFailure),
    ]);
    expect(stream.messages).toHaveLength(11);
    expect(stream.misplaced).toBe(0);
  });

  it('answers a keyed retry in the middle of a chain as a duplicate, and the key with other values as a conflict', async () => {
    const { stream, pipeline } = setUp(16);
    const first = await pipeline.append({ values: [7n, 8n], idempotencyKey: 'order-1' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) =>
        index === 10
          ? pipeline.append({ values: [7n, 8n], idempotencyKey: 'order-1' })
          : index === 20
            ? pipeline.append({ values: [9n], idempotencyKey: 'order-1' })
            : pipeline.append({ values: [BigInt(index)] }),
      ),
    );
    expect(outcomes[10]).toEqual({ status: 'fulfilled', value: { ...first, duplicate: true } });
    expect(outcomes[20]).toMatchObject({ status: 'rejected', reason: expect.any(IdempotencyKeyConflict) });
    expect(stream.messages).toHaveLength(29);
    expect(stream.misplaced).toBe(0);
    expect(stream.head).toBe(30n);
  });

  it('checks expected_next_offset against the head predicted with the appends in flight', async () => {
    const { stream, pipeline } = setUp(16);
    const [a, b, c] = await Promise.allSettled([
      pipeline.append({ values: [1n, 2n] }),
      pipeline.append({ values: [3n], expectedNextOffset: 2n }),
      pipeline.append({ values: [4n], expectedNextOffset: 2n }),
    ]);
    expect(a).toEqual({ status: 'fulfilled', value: { firstOffset: 0n, nextOffset: 2n, duplicate: false } });
    expect(b).toEqual({ status: 'fulfilled', value: { firstOffset: 2n, nextOffset: 3n, duplicate: false } });
    expect(c).toMatchObject({ status: 'rejected', reason: new ExpectedOffsetMismatch(2n, 3n) });
    expect(stream.head).toBe(3n);
  });
});

describe('the append pipeline with group messages', () => {
  it('publishes unkeyed appends that wait together as one message each group, every append at its own offsets', async () => {
    const { stream, pipeline, commits } = setUp(4, 16_384, 1_024);
    const results = await Promise.all(Array.from({ length: 600 }, (_, index) => pipeline.append({ values: valuesOf(index) })));
    expectAtTheirOffsets(stream, results, valuesOf);
    // The metrics hear of one group commit per message, with all its appends and events.
    expect(commits.map((commit) => commit.events)).toEqual(stream.messages.map((stored) => stored.count));
    expect(commits.reduce((sum, commit) => sum + commit.appends, 0)).toBe(600);
    // The first publish goes alone; what waits behind the window travels in groups.
    expect(stream.messages.length).toBeLessThan(20);
    expect(stream.messages.reduce((sum, stored) => sum + stored.count, 0)).toBe(results.reduce((sum, r) => sum + Number(r.nextOffset - r.firstOffset), 0));
  });

  it('keeps groups within the appends and bytes bounds', async () => {
    const { stream, pipeline } = setUp(1, 16_384, 10, 64);
    const results = await Promise.all(Array.from({ length: 100 }, (_, index) => pipeline.append({ values: [BigInt(index)] })));
    expectAtTheirOffsets(stream, results, (index) => [BigInt(index)]);
    // 64 bytes: at most 8 single values per message, however many wait.
    expect(Math.max(...stream.messages.map((stored) => stored.count))).toBe(8);
    const { stream: byCount, pipeline: countBound } = setUp(1, 16_384, 10);
    await Promise.all(Array.from({ length: 100 }, (_, index) => countBound.append({ values: [BigInt(index)] })));
    expect(Math.max(...byCount.messages.map((stored) => stored.count))).toBe(10);
  });

  it('gives keyed and conditional appends messages of their own, in the order given', async () => {
    const { stream, pipeline } = setUp(2, 16_384, 1_024);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, index) =>
        index % 10 === 3
          ? pipeline.append({ values: [BigInt(index)], idempotencyKey: `key-${index}` })
          : index === 25
            ? pipeline.append({ values: [BigInt(index)], expectedNextOffset: 25n })
            : pipeline.append({ values: [BigInt(index)] }),
      ),
    );
    const results = outcomes.map((outcome) => (outcome as PromiseFulfilledResult<AppendResult>).value);
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expectAtTheirOffsets(stream, results, (index) => [BigInt(index)]);
    // In the order given: each value at its own index.
    expect(results.map((result) => result.firstOffset)).toEqual(Array.from({ length: 60 }, (_, index) => BigInt(index)));
    for (const index of [3, 13, 23, 25, 33]) {
      const holding = stream.messages.find((stored) => stored.firstOffset === BigInt(index));
      expect(holding?.count).toBe(1);
    }
    expect(stream.messages.filter((stored) => stored.id.startsWith('k-'))).toHaveLength(6);
  });

  it('retries a group as a unit: after another gateway appended, after a lost ack (found stored once), and fails all of it when refused', async () => {
    const { stream, pipeline } = setUp(2, 16_384, 1_024);
    stream.foreignAt.set(2, 3);
    stream.loseAckOfSent.add(3);
    // Ten appends per event-loop turn, so that groups chain behind each other.
    const appends: Promise<AppendResult>[] = [];
    for (let turn = 0; turn < 20; turn += 1) {
      for (let index = turn * 10; index < turn * 10 + 10; index += 1) appends.push(pipeline.append({ values: valuesOf(index) }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await Promise.all(appends);
    expectAtTheirOffsets(stream, results, valuesOf);
    expect(pipeline.conflicts).toBeGreaterThan(0);
    expect(stream.messages.length).toBeLessThan(60);
    const ours = results.map((result) => result.firstOffset);
    expect([...ours].sort((a, b) => (a < b ? -1 : 1))).toEqual(ours);
    expect(stream.head).toBe(3n + results.reduce((sum, r) => sum + (r.nextOffset - r.firstOffset), 0n));

    const refused = setUp(1, 16_384, 1_024);
    await refused.pipeline.append({ values: [1n] });
    refused.stream.refuseSent.add(2);
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, index) => refused.pipeline.append({ values: [BigInt(index)] })));
    // The 30 waited together: one group message, refused whole, none of it stored.
    expect(refused.stream.sent).toHaveLength(2);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 'rejected', reason: expect.any(StorageFailure) });
    expect(refused.stream.head).toBe(1n);
    const after = await Promise.all(Array.from({ length: 5 }, (_, index) => refused.pipeline.append({ values: [BigInt(100 + index)] })));
    expect(after.map((result) => result.firstOffset)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(refused.stream.misplaced).toBe(0);
  });
});

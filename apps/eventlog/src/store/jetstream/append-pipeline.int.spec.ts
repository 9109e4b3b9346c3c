import { jetstream, jetstreamManager, JetStreamApiError } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { waitFor } from '@hello-es/test-support';
import pino from 'pino';
import { IdempotencyKeyConflict } from '../../errors';
import type { AppendResult } from '../log-store';
import { startNatsServer, type NatsFixture } from '../../testing/nats-server';
import { readJetStreamStorageConfig } from './jetstream-config';
import { JetStreamLogStore } from './jetstream-log-store';

// Pipelined publishes (NATS_PUBLISHES_IN_FLIGHT) against a real nats-server:
// what keeps offsets dense is the stream's own checks, so test them on it.
const logger = pino({ level: 'silent' });
let nats: NatsFixture;
let streams = 0;

beforeAll(async () => {
  nats = await startNatsServer();
}, 30_000);
afterAll(() => nats?.stop());

/** One message per append unless `maxGroupAppends` says otherwise: most cases here are about chains of publishes. */
function openStore(stream: string, inFlight = 64, maxGroupAppends = 1): Promise<JetStreamLogStore> {
  const env = { NATS_URL: nats.url, NATS_STREAM: stream, NATS_PUBLISHES_IN_FLIGHT: String(inFlight), NATS_CONNECT_TIMEOUT_SECONDS: '10' };
  return JetStreamLogStore.open({ config: readJetStreamStorageConfig(env), logger, maxGroupAppends });
}

function nextStream(): string {
  streams += 1;
  return `PIPELINE_${streams}`;
}

/** The whole log read back, and a check that each acknowledged append's values sit at its offsets. */
async function expectEachAtItsOffsets(store: JetStreamLogStore, acknowledged: readonly { result: AppendResult; values: bigint[] }[]): Promise<bigint[]> {
  const end = acknowledged.reduce((most, ack) => (ack.result.nextOffset > most ? ack.result.nextOffset : most), 0n);
  // Another gateway's appends reach this one's head through its follower: wait for them.
  await waitFor(() => store.nextOffset() >= end, { description: `head ${end}`, timeoutMs: 10_000 });
  const head = store.nextOffset();
  const log: bigint[] = [];
  while (BigInt(log.length) < head) log.push(...(await store.read(BigInt(log.length), 4_096)).values);
  for (const { result, values } of acknowledged) {
    expect(log.slice(Number(result.firstOffset), Number(result.nextOffset))).toEqual(values);
  }
  return log;
}

const valuesOf = (writer: number, index: number) => Array.from({ length: 1 + (index % 3) }, (_, part) => BigInt(writer * 1_000_000 + index * 10 + part));

it('is enforced by nats-server: a publish expecting another last message id is refused (10070) and stores nothing', async () => {
  const nc = await connect({ servers: nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'LAST_MSG_ID', subjects: ['last-msg-id'] });
    const js = jetstream(nc);
    await js.publish('last-msg-id', new Uint8Array(8), { msgID: 'first', expect: { lastSequence: 0 } });
    const refused: unknown = await js.publish('last-msg-id', new Uint8Array(8), { msgID: 'second', expect: { lastSequence: 1, lastMsgID: 'other' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(JetStreamApiError);
    expect((refused as JetStreamApiError).code).toBe(10_070);
    expect((await jsm.streams.info('LAST_MSG_ID')).state.last_seq).toBe(1);
  } finally {
    await nc.close();
  }
});

it('keeps 200 concurrent appends through one gateway dense, with many publishes in flight', async () => {
  const store = await openStore(nextStream());
  try {
    const acknowledged = await Promise.all(
      Array.from({ length: 200 }, async (_, index) => ({ values: valuesOf(0, index), result: await store.append({ values: valuesOf(0, index) }) })),
    );
    expect(store.peakPublishesInFlight).toBeGreaterThan(1);
    expect(store.peakPublishesInFlight).toBeLessThanOrEqual(64);
    const log = await expectEachAtItsOffsets(store, acknowledged);
    expect(log).toHaveLength(acknowledged.reduce((sum, ack) => sum + ack.values.length, 0));
    expect(new Set(log).size).toBe(log.length);
  } finally {
    await store.close();
  }
});

it('stores appends that wait together in group messages, each at its own offsets, with two gateways at once', async () => {
  const stream = nextStream();
  const stores = [await openStore(stream, 8, 1_024), await openStore(stream, 8, 1_024)] as const;
  try {
    const acknowledged = (
      await Promise.all(
        stores.map((store, writer) =>
          Promise.all(Array.from({ length: 300 }, async (_, index) => ({ values: valuesOf(writer, index), result: await store.append({ values: valuesOf(writer, index) }) }))),
        ),
      )
    ).flat();
    const log = await expectEachAtItsOffsets(stores[0], acknowledged);
    expect(log).toHaveLength(acknowledged.reduce((sum, ack) => sum + ack.values.length, 0));
    expect([...log].sort((a, b) => (a < b ? -1 : 1))).toEqual(acknowledged.flatMap((ack) => ack.values).sort((a, b) => (a < b ? -1 : 1)));
    expect(await expectEachAtItsOffsets(stores[1], acknowledged)).toEqual(log);
    const nc = await connect({ servers: nats.url });
    try {
      const info = await (await jetstreamManager(nc)).streams.info(stream);
      // 600 appends in far fewer messages.
      expect(info.state.messages).toBeLessThan(100);
    } finally {
      await nc.close();
    }
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
});

/**
 * Two gateways pipelining into one stream at once: both chains start from
 * the same last sequence, so conflicts are certain; afterwards the log is
 * dense, holds every acknowledged value exactly once, at the offsets its
 * ack gave, and both gateways agree on it.
 */
it('keeps the log dense with two gateways pipelining into one stream at once', async () => {
  const stream = nextStream();
  const stores = [await openStore(stream, 32), await openStore(stream, 32)] as const;
  try {
    const acknowledged = (
      await Promise.all(
        stores.map((store, writer) =>
          Promise.all(Array.from({ length: 150 }, async (_, index) => ({ values: valuesOf(writer, index), result: await store.append({ values: valuesOf(writer, index) }) }))),
        ),
      )
    ).flat();
    expect(stores[0].conflicts + stores[1].conflicts).toBeGreaterThan(0);
    const log = await expectEachAtItsOffsets(stores[0], acknowledged);
    expect(log).toHaveLength(acknowledged.reduce((sum, ack) => sum + ack.values.length, 0));
    expect(new Set(log).size).toBe(log.length);
    expect([...log].sort((a, b) => (a < b ? -1 : 1))).toEqual(acknowledged.flatMap((ack) => ack.values).sort((a, b) => (a < b ? -1 : 1)));
    expect(await expectEachAtItsOffsets(stores[1], acknowledged)).toEqual(log);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
}, 60_000);

it('answers a keyed retry in the middle of a pipeline as a duplicate, and the key with other values as FAILED_PRECONDITION', async () => {
  const stream = nextStream();
  const [first, other] = [await openStore(stream), await openStore(stream)];
  try {
    const original = await other.append({ values: [7n, 8n], idempotencyKey: 'order-1' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, index) => {
        if (index === 40) return first.append({ values: [7n, 8n], idempotencyKey: 'order-1' });
        if (index === 60) return first.append({ values: [9n], idempotencyKey: 'order-1' });
        return first.append({ values: [BigInt(1_000 + index)], ...(index === 80 ? { idempotencyKey: 'order-2' } : {}) });
      }),
    );
    expect(outcomes[40]).toEqual({ status: 'fulfilled', value: { ...original, duplicate: true } });
    expect(outcomes[60]).toMatchObject({ status: 'rejected', reason: expect.any(IdempotencyKeyConflict) });
    expect(first.nextOffset()).toBe(2n + 98n);
    const stored = outcomes.flatMap((outcome, index) =>
      outcome.status === 'fulfilled' && index !== 40 ? [{ result: outcome.value, values: [BigInt(1_000 + index)] }] : [],
    );
    expect(stored).toHaveLength(98);
    const log = await expectEachAtItsOffsets(first, stored);
    expect(log.slice(0, 2)).toEqual([7n, 8n]);
    expect(new Set(log).size).toBe(100);
  } finally {
    await Promise.all([first.close(), other.close()]);
  }
});

it("serves its own appends from memory with the time every gateway reads from the stream (Hello-Es-Time)", async () => {
  const stream = nextStream();
  const writer = await openStore(stream);
  const reader = await openStore(stream);
  try {
    const before = Date.now();
    const results = await Promise.all(Array.from({ length: 50 }, (_, index) => writer.append({ values: [BigInt(index), BigInt(-index)] })));
    const after = Date.now();
    const head = results.reduce((most, result) => (result.nextOffset > most ? result.nextOffset : most), 0n);
    await waitFor(() => reader.nextOffset() >= head, { description: `reader head ${head}`, timeoutMs: 10_000 });
    const own = await writer.read(0n, 4_096);
    const fetched = await reader.read(0n, 4_096);
    expect(own.count).toBe(100);
    expect(fetched.count).toBe(100);
    expect(Array.from(own.values.subarray(0, own.count))).toEqual(Array.from(fetched.values.subarray(0, fetched.count)));
    // The same time for each event on both gateways, and the writer's clock when it took the append.
    expect(Array.from(own.appendTimesMs.subarray(0, own.count))).toEqual(Array.from(fetched.appendTimesMs.subarray(0, fetched.count)));
    for (const time of own.appendTimesMs.subarray(0, own.count)) {
      expect(time).toBeGreaterThanOrEqual(before);
      expect(time).toBeLessThanOrEqual(after);
    }
  } finally {
    await Promise.all([writer.close(), reader.close()]);
  }
});

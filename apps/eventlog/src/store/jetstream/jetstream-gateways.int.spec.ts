import { status } from '@grpc/grpc-js';
import { callUnary, createEventLogClient, type EventLogServiceClient } from '@hello-es/contracts';
import { findFreePort, waitFor } from '@hello-es/test-support';
import { isConfigError } from '@hello-es/process';
import { DiscardPolicy, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pino from 'pino';
import { readEventLogConfig } from '../../config';
import { startEventLogServer, type RunningEventLogServer } from '../../event-log-server';
import { statusOf } from '../../testing/event-log-contract';
import { startNatsServer, type NatsFixture } from '../../testing/nats-server';
import { SubscriptionReader } from '../../testing/subscription-reader';
import { readJetStreamStorageConfig } from './jetstream-config';
import { JetStreamLogStore } from './jetstream-log-store';
import { subjectOf } from './stream-setup';

// Several gateways over one stream: what the single-process contracts cannot show.
const logger = pino({ level: 'silent' });
let nats: NatsFixture;
let streams = 0;

beforeAll(async () => {
  nats = await startNatsServer();
}, 30_000);
afterAll(() => nats?.stop());

function streamEnv(stream: string): Record<string, string> {
  return { EVENTLOG_STORAGE: 'jetstream', NATS_URL: nats.url, NATS_STREAM: stream, NATS_CONNECT_TIMEOUT_SECONDS: '10' };
}

describe('two gateways over one stream', () => {
  let gateways: RunningEventLogServer[];
  let clients: EventLogServiceClient[];
  const appendVia = (index: number, values: bigint[], more: { expectedNextOffset?: bigint; idempotencyKey?: string } = {}) => {
    const client = clients[index] as EventLogServiceClient;
    return callUnary(client.append.bind(client), { values, idempotencyKey: '', ...more }, { timeoutMs: 20_000 });
  };

  beforeEach(async () => {
    streams += 1;
    const env = streamEnv(`GATEWAYS_${streams}`);
    gateways = [];
    for (let index = 0; index < 2; index += 1) {
      gateways.push(await startEventLogServer(readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', ...env }), logger));
    }
    clients = gateways.map((gateway) => createEventLogClient(gateway.address));
  });
  afterEach(async () => {
    for (const client of clients) client.close();
    await Promise.all(gateways.map((gateway) => gateway.shutdown()));
  });

  it('share one log id', () => {
    expect(gateways[0]?.store.logId).toBe(gateways[1]?.store.logId);
  });

  /**
   * ListSubscriptions lists every gateway's subscriptions (shared through the
   * HELLO_ES_SUBSCRIPTIONS bucket, refreshed every second), each naming its
   * gateway, and one that ended is gone from the other gateway's list too.
   */
  it('lists a subscription of gateway A on gateway B within seconds, and not once it ended', async () => {
    const [a, b] = [gateways[0] as RunningEventLogServer, gateways[1] as RunningEventLogServer];
    const [clientA, clientB] = [clients[0] as EventLogServiceClient, clients[1] as EventLogServiceClient];
    const listOn = async (client: EventLogServiceClient) => (await callUnary(client.listSubscriptions.bind(client), {})).subscriptions;
    await appendVia(0, [1n, 2n, 3n]);
    const reader = new SubscriptionReader(clientA, 1n, 'via-a');
    const local = new SubscriptionReader(clientB, 0n, 'via-b');
    await waitFor(() => reader.caughtUp.length === 1 && local.caughtUp.length === 1, { description: 'caught_up on both', timeoutMs: 10_000 });
    const started = Date.now();
    await waitFor(async () => (await listOn(clientB)).some((s) => s.subscriberName === 'via-a' && s.nextOffset === 3n), {
      description: "gateway A's subscription listed by gateway B",
      timeoutMs: 5_000,
    });
    const shareDelayMs = Date.now() - started;
    const onB = await listOn(clientB);
    expect(onB.find((s) => s.subscriberName === 'via-a')).toMatchObject({ gateway: a.address, nextOffset: 3n, lag: 0n });
    expect(onB.find((s) => s.subscriberName === 'via-b')).toMatchObject({ gateway: b.address, nextOffset: 3n });
    expect(onB.filter((s) => s.peer === '')).toEqual([]);
    await waitFor(async () => (await listOn(clientA)).map((s) => s.subscriberName).sort().join() === 'via-a,via-b', {
      description: 'both subscriptions listed by gateway A',
      timeoutMs: 5_000,
    });
    expect(shareDelayMs).toBeLessThan(3_000);

    await reader.cancel();
    await waitFor(async () => !(await listOn(clientB)).some((s) => s.subscriberName === 'via-a'), {
      description: "the ended subscription gone from gateway B's list",
      timeoutMs: 5_000,
    });
    expect((await listOn(clientB)).map((s) => s.subscriberName)).toEqual(['via-b']);
    await local.cancel();
  });

  /**
   * Proves offsets come from the stream, not from a gateway: writers on both
   * gateways race, and the log is dense, holds every value once, each
   * acknowledged append's values sit at its offsets, and subscribers on
   * either gateway see the same sequence.
   */
  it('keeps offsets dense under concurrent appends through both gateways, and both subscribers see the same log', async () => {
    const readers = clients.map((client) => new SubscriptionReader(client, 0n));
    const acknowledged = new Map<bigint, bigint>();
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let index = 0; index < 12; index += 1) {
          const values = Array.from({ length: 1 + (index % 3) }, (__, part) => BigInt(writer * 1_000_000 + index * 10 + part));
          const result = await appendVia(writer % 2, values);
          expect(result.nextOffset - result.firstOffset).toBe(BigInt(values.length));
          values.forEach((value, part) => acknowledged.set(result.firstOffset + BigInt(part), value));
        }
      }),
    );
    const total = acknowledged.size;
    expect(total).toBe(8 * (4 * 1 + 4 * 2 + 4 * 3)); // 12 appends of 1, 2, 3, 1, … values per writer
    for (const reader of readers) await reader.waitForEvents(total);
    const [onFirst, onSecond] = readers.map((reader) => reader.events);
    expect(onFirst?.map((event) => event.offset)).toEqual(Array.from({ length: total }, (_, offset) => BigInt(offset)));
    expect(onSecond).toEqual(onFirst);
    for (const event of onFirst ?? []) expect(event.value).toBe(acknowledged.get(event.offset));
    expect(new Set(onFirst?.map((event) => event.value)).size).toBe(total);
    for (const reader of readers) await reader.cancel();
  });

  it('answers a keyed retry through the other gateway as a duplicate, and other values with the key as FAILED_PRECONDITION', async () => {
    await appendVia(0, [1n]);
    const first = await appendVia(0, [7n, 8n], { idempotencyKey: 'order-9' });
    expect(await appendVia(1, [7n, 8n], { idempotencyKey: 'order-9' })).toEqual({ ...first, duplicate: true });
    // A stale expected_next_offset on the retry still answers duplicate (the key is checked first).
    expect(await appendVia(1, [7n, 8n], { idempotencyKey: 'order-9', expectedNextOffset: 1n })).toEqual({ ...first, duplicate: true });
    expect(await statusOf(appendVia(1, [9n], { idempotencyKey: 'order-9' }))).toEqual({
      code: status.FAILED_PRECONDITION,
      details: expect.stringContaining('order-9'),
    });
    expect(gateways[1]?.store.nextOffset()).toBe(3n);
  });

  it('lets exactly one of two conflicting expected_next_offset appends through different gateways win', async () => {
    await appendVia(0, [1n]);
    await appendVia(1, [2n]);
    const outcomes = await Promise.allSettled([appendVia(0, [10n], { expectedNextOffset: 2n }), appendVia(1, [20n], { expectedNextOffset: 2n })]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const loser = outcomes.find((outcome) => outcome.status === 'rejected');
    expect((loser as PromiseRejectedResult | undefined)?.reason).toMatchObject({
      code: status.FAILED_PRECONDITION,
      details: 'expected next offset 2 but the head is 3',
    });
  });
});

describe('opening a stream', () => {
  it('refuses a stream whose settings would break dense offsets, naming them', async () => {
    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({
        name: 'LOOSE',
        subjects: [subjectOf('LOOSE')],
        storage: StorageType.Memory,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        max_msgs: 1_000,
      });
    } finally {
      await nc.close();
    }
    const opening = JetStreamLogStore.open({ config: readJetStreamStorageConfig(streamEnv('LOOSE')), logger });
    const error: unknown = await opening.then(
      (store) => store.close().then(() => new Error('opened')),
      (thrown: unknown) => thrown,
    );
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain('NATS_STREAM');
    for (const problem of ['storage is memory', 'discard is old', 'max_msgs is 1000', 'deny_delete is false', 'deny_purge is false', 'no hello-es log id']) {
      expect((error as Error).message).toContain(problem);
    }
  });

  it('gives up on an unreachable NATS after NATS_CONNECT_TIMEOUT_SECONDS, naming NATS_URL', async () => {
    const port = await findFreePort();
    const started = Date.now();
    const config = readJetStreamStorageConfig({ NATS_URL: `nats://127.0.0.1:${port}`, NATS_CONNECT_TIMEOUT_SECONDS: '1' });
    const error: unknown = await JetStreamLogStore.open({ config, logger }).then(
      (store) => store.close().then(() => new Error('opened')),
      (thrown: unknown) => thrown,
    );
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain('NATS_URL');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reopens an existing stream with its log id and head (a gateway restart loses nothing)', async () => {
    const config = readJetStreamStorageConfig(streamEnv('REOPEN'));
    const first = await JetStreamLogStore.open({ config, logger });
    await first.append({ values: [1n, 2n, 3n], idempotencyKey: 'again' });
    await first.close();
    const second = await JetStreamLogStore.open({ config, logger });
    try {
      expect(second.logId).toBe(first.logId);
      expect(second.nextOffset()).toBe(3n);
      expect(await second.append({ values: [1n, 2n, 3n], idempotencyKey: 'again' })).toEqual({ firstOffset: 0n, nextOffset: 3n, duplicate: true });
    } finally {
      await second.close();
    }
  });
});

describe('health', () => {
  /** Proves a gateway says NOT_SERVING while NATS is gone and SERVING once it is back, then appends again. */
  it('goes NOT_SERVING while the NATS server is down and SERVING when it is back', async () => {
    const own = await startNatsServer();
    const server = own.servers[0];
    const config = readJetStreamStorageConfig({ NATS_URL: own.url, NATS_REQUEST_TIMEOUT_MS: '500', NATS_APPEND_TIMEOUT_SECONDS: '20' });
    const store = await JetStreamLogStore.open({ config, logger, pollMs: 200 });
    const changes: boolean[] = [];
    store.onHealth((serving) => changes.push(serving));
    try {
      await store.append({ values: [1n] });
      await server?.kill();
      await waitFor(() => !store.serving, { description: 'NOT_SERVING', timeoutMs: 10_000 });
      await server?.start();
      await waitFor(() => store.serving, { description: 'SERVING again', timeoutMs: 20_000 });
      expect(changes).toEqual([false, true]);
      expect(await store.append({ values: [2n] })).toEqual({ firstOffset: 1n, nextOffset: 2n, duplicate: false });
    } finally {
      await store.close();
      await own.stop();
    }
  }, 60_000);
});

import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { waitFor } from '@hello-es/test-support';
import pino from 'pino';
import { startNatsCluster, type NatsFixture } from '../../testing/nats-server';
import type { LogStore } from '../log-store';
import { readJetStreamStorageConfig } from './jetstream-config';
import { JetStreamLogStore } from './jetstream-log-store';

// A 3-node cluster on loopback, an R3 stream, two gateways: the stream
// leader's node is killed with SIGKILL while both gateways append.
const logger = pino({ level: 'silent' });
let nats: NatsFixture;

beforeAll(async () => {
  nats = await startNatsCluster();
}, 30_000);
afterAll(() => nats?.stop());

/** Everything a gateway's head follower delivers, read as a subscriber would: wait, read, repeat. */
function follow(store: LogStore, signal: AbortSignal): bigint[] {
  const seen: bigint[] = [];
  void (async () => {
    while (!signal.aborted) {
      const next = BigInt(seen.length);
      if (store.nextOffset() <= next) {
        await store.waitForHeadBeyond(next, signal);
        continue;
      }
      try {
        seen.push(...(await store.read(next, 4_096)).values);
      } catch {
        // The leader is being elected: read again after a moment (bounded by the test's deadline).
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  })();
  return seen;
}

async function readEverything(store: LogStore): Promise<bigint[]> {
  const values: bigint[] = [];
  while (BigInt(values.length) < store.nextOffset()) values.push(...(await store.read(BigInt(values.length), 4_096)).values);
  return values;
}

/**
 * Proves replication, not fsync, carries durability: after kill -9 of the
 * stream leader's node mid-load, no acknowledged append is lost, duplicated
 * or moved, offsets stay dense, appends go on after the election, and both
 * gateways' followers saw exactly the final log.
 */
it('loses no acknowledged append when the stream leader is killed -9 mid-load, and appends go on after the election', async () => {
  const config = readJetStreamStorageConfig({
    NATS_URL: nats.url,
    NATS_STREAM: 'CLUSTER',
    NATS_REPLICAS: '3',
    NATS_REQUEST_TIMEOUT_MS: '2000',
    NATS_APPEND_TIMEOUT_SECONDS: '25',
    NATS_CONNECT_TIMEOUT_SECONDS: '20',
  });
  const gateways = [await JetStreamLogStore.open({ config, logger }), await JetStreamLogStore.open({ config, logger })];
  expect(gateways.map((gateway) => gateway.replicas)).toEqual([3, 3]);
  const stopFollowing = new AbortController();
  const followed = gateways.map((gateway) => follow(gateway, stopFollowing.signal));
  const acknowledged: { firstOffset: bigint; value: bigint }[] = [];
  const attempted = new Set<bigint>();
  let killed = -1;
  let stop = false;
  const writers = Array.from({ length: 4 }, async (_, writer) => {
    const gateway = gateways[writer % 2] as JetStreamLogStore;
    for (let index = 0; !stop; index += 1) {
      const value = BigInt(writer * 1_000_000 + index);
      attempted.add(value);
      // As a client would: retry with the same key until acknowledged (half keyed, half not).
      const keyed = index % 2 === 0;
      for (let attempt = 0; ; attempt += 1) {
        try {
          const result = await gateway.append({ values: [value], ...(keyed ? { idempotencyKey: `w${writer}-${index}` } : {}) });
          acknowledged.push({ firstOffset: result.firstOffset, value });
          break;
        } catch (error: unknown) {
          if (attempt >= 3 || !keyed) throw error;
        }
      }
    }
  });
  try {
    await waitFor(() => acknowledged.length >= 100, { description: '100 acknowledged appends', timeoutMs: 30_000 });
    const leader = await streamLeader();
    const node = nats.servers.find((server) => server.name === leader);
    expect(node).toBeDefined();
    killed = acknowledged.length;
    await node?.kill('SIGKILL');
    await waitFor(() => acknowledged.length >= killed + 100, { description: '100 appends after the kill', timeoutMs: 40_000 });
    stop = true;
    await Promise.all(writers);
    await node?.start();
  } finally {
    stop = true;
    await Promise.allSettled(writers);
  }
  await Promise.all(writers);
  const head = gateways[0]?.nextOffset() ?? 0n;
  await waitFor(() => gateways[1]?.nextOffset() === head, { description: 'both gateways at the same head', timeoutMs: 10_000 });
  const log = await readEverything(gateways[0] as JetStreamLogStore);
  expect(await readEverything(gateways[1] as JetStreamLogStore)).toEqual(log);
  expect(BigInt(log.length)).toBe(head);
  for (const ack of acknowledged) expect(log[Number(ack.firstOffset)]).toBe(ack.value);
  expect(new Set(log).size).toBe(log.length);
  for (const value of log) expect(attempted.has(value)).toBe(true);
  await waitFor(() => followed.every((seen) => seen.length === log.length), { description: 'followers at the head', timeoutMs: 10_000 });
  for (const seen of followed) expect(seen).toEqual(log);
  stopFollowing.abort();
  await Promise.all(gateways.map((gateway) => gateway.close()));
}, 90_000);

async function streamLeader(): Promise<string | undefined> {
  const nc = await connect({ servers: nats.url.split(',') });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info('CLUSTER')).cluster?.leader;
  } finally {
    await nc.close();
  }
}

/**
 * Figures for docs/jetstream.md: the jetstream backend through a gateway
 * against bare JetStream publishing with the same client, on a nats-server
 * started here (one node, or `--r3` for a 3-node cluster and an R3 stream).
 *
 *   npx tsx --tsconfig tsconfig.base.json apps/eventlog/scripts/measure-jetstream.ts [--r3]
 */
import { callUnary, createEventLogClient, type EventLogServiceClient } from '@hello-es/contracts';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pino from 'pino';
import { readEventLogConfig } from '../src/config';
import { startEventLogServer } from '../src/event-log-server';
import { readJetStreamStorageConfig } from '../src/store/jetstream/jetstream-config';
import { JetStreamLogStore } from '../src/store/jetstream/jetstream-log-store';
import { startNatsCluster, startNatsServer } from '../src/testing/nats-server';
import { SubscriptionReader } from '../src/testing/subscription-reader';

const logger = pino({ level: 'silent' });
const r3 = process.argv.includes('--r3');

async function rate(total: number, inFlight: number, step: (index: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) await step(next++);
    }),
  );
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

function line(name: string, value: number, unit: string): void {
  console.log(`${name.padEnd(64)} ${Math.round(value).toLocaleString('en-US').padStart(12)} ${unit}`);
}

async function main(): Promise<void> {
  const nats = r3 ? await startNatsCluster() : await startNatsServer();
  const replicas = r3 ? '3' : '1';
  try {
    const nc = await connect({ servers: nats.url.split(',') });
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    await jsm.streams.add({ name: 'BARE', subjects: ['bare'], num_replicas: Number(replicas) });
    const js = jetstream(nc);
    const one = new Uint8Array(8);
    const thousand = new Uint8Array(8_000);
    line('bare JetStream publish, 1 value, 1 in flight', await rate(2_000, 1, () => js.publish('bare', one)), 'msg/s');
    line('bare JetStream publish, 1 value, 64 in flight', await rate(10_000, 64, () => js.publish('bare', one)), 'msg/s');
    line('bare JetStream publish, 1,000 values, 64 in flight', 1_000 * (await rate(1_000, 64, () => js.publish('bare', thousand))), 'values/s');

    // The same gRPC path over the memory backend: what the transport alone costs on this machine now.
    const memory = await startEventLogServer(readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', EVENTLOG_STORAGE: 'memory' }), logger);
    const memoryClient = createEventLogClient(memory.address);
    const memoryAppend = () => callUnary(memoryClient.append.bind(memoryClient), { values: [1n], idempotencyKey: '' });
    line('memory backend Append (gRPC), 1 value, 1 in flight', await rate(2_000, 1, memoryAppend), 'events/s');
    line('memory backend Append (gRPC), 1 value, 64 in flight', await rate(4_000, 64, memoryAppend), 'events/s');
    memoryClient.close();
    await memory.shutdown();

    const env = { EVENTLOG_LISTEN: '127.0.0.1:0', EVENTLOG_STORAGE: 'jetstream', NATS_URL: nats.url, NATS_REPLICAS: replicas };
    const gateway = await startEventLogServer(readEventLogConfig({ ...env, NATS_STREAM: 'MEASURE' }), logger);
    const client: EventLogServiceClient = createEventLogClient(gateway.address);
    const append = (values: bigint[]) => callUnary(client.append.bind(client), { values, idempotencyKey: '' });
    const values1000 = Array.from({ length: 1_000 }, (_, index) => BigInt(index));
    line('jetstream store.append in-process (no gRPC), 1 value, 1 in flight', await rate(1_000, 1, () => gateway.store.append({ values: [1n] })), 'events/s');
    line('gateway Append (gRPC), 1 value, 1 in flight', await rate(2_000, 1, () => append([1n])), 'events/s');
    line('gateway Append (gRPC), 1 value, 64 in flight', await rate(4_000, 64, () => append([1n])), 'events/s');
    line('gateway Append (gRPC), 1,000 values, 64 in flight', 1_000 * (await rate(300, 64, () => append(values1000))), 'events/s');

    // Subscribe from 0 on a log stored in messages of 1,000 values.
    const store = gateway.store as JetStreamLogStore;
    const head = store.nextOffset();
    let started = process.hrtime.bigint();
    const reader = new SubscriptionReader(createEventLogClient(gateway.address), 0n);
    await reader.waitForEvents(Number(head), 120_000);
    line(`gateway Subscribe from 0 over ${head} events (mostly 1,000 per message)`, Number(head) / (Number(process.hrtime.bigint() - started) / 1e9), 'events/s');
    await reader.cancel();

    // Finding an offset: a fresh gateway (cold cache) reads one event at random offsets.
    const cold = await JetStreamLogStore.open({ config: readJetStreamStorageConfig({ ...env, NATS_STREAM: 'MEASURE' }), logger });
    started = process.hrtime.bigint();
    for (let probe = 0; probe < 50; probe += 1) await cold.read(BigInt(Math.floor(Math.random() * Number(head))), 1);
    line(`cold read of one event at a random offset (${cold.nextOffset()} events, binary search)`, Number(process.hrtime.bigint() - started) / 1e6 / 50, 'ms each');
    await cold.close();

    // Two gateways racing: conflicts per append.
    const second = await startEventLogServer(readEventLogConfig({ ...env, NATS_STREAM: 'MEASURE' }), logger);
    const secondClient = createEventLogClient(second.address);
    const before = store.conflicts + (second.store as JetStreamLogStore).conflicts;
    const racing = await rate(2_000, 16, (index) =>
      callUnary((index % 2 === 0 ? client : secondClient).append.bind(index % 2 === 0 ? client : secondClient), { values: [1n], idempotencyKey: '' }),
    );
    const conflicts = store.conflicts + (second.store as JetStreamLogStore).conflicts - before;
    line('two gateways, 8 in flight each, 1 value', racing, 'events/s');
    line('  conflicts (retried) per 1,000 appends', (conflicts / 2_000) * 1_000, '');
    secondClient.close();
    client.close();
    await second.shutdown();
    await gateway.shutdown();
    await nc.close();
  } finally {
    await nats.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

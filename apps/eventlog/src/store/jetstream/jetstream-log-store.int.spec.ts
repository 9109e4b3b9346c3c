import { callUnary, createEventLogClient } from '@hello-es/contracts';
import { waitFor } from '@hello-es/test-support';
import { connect } from '@nats-io/transport-node';
import pino from 'pino';
import { readEventLogConfig } from '../../config';
import { startEventLogServer } from '../../event-log-server';
import { describeEventLogContract } from '../../testing/event-log-contract';
import { describeLogStoreContract } from '../../testing/log-store-contract';
import { startNatsServer, type NatsFixture } from '../../testing/nats-server';
import { readJetStreamStorageConfig } from './jetstream-config';
import { JetStreamLogStore } from './jetstream-log-store';

// The LogStore and EventLogService contracts, unchanged, on a single
// nats-server started for this file; every test gets a stream of its own.
const logger = pino({ level: 'silent' });
let nats: NatsFixture;
let streams = 0;

beforeAll(async () => {
  nats = await startNatsServer();
}, 30_000);
afterAll(() => nats?.stop());

function env(): Record<string, string> {
  streams += 1;
  return { EVENTLOG_STORAGE: 'jetstream', NATS_URL: nats.url, NATS_STREAM: `CONTRACT_${process.pid}_${streams}`, NATS_CONNECT_TIMEOUT_SECONDS: '10' };
}

describeLogStoreContract('jetstream', async () => {
  const store = await JetStreamLogStore.open({ config: readJetStreamStorageConfig(env()), logger });
  return { store, cleanup: () => store.close() };
});

describeEventLogContract('jetstream', async () => {
  const server = await startEventLogServer(readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', ...env() }), logger);
  return { server, cleanup: () => server.shutdown() };
});

it('reports storage "jetstream" and the stream\'s replicas in GetLogInfo', async () => {
  const server = await startEventLogServer(readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', ...env() }), logger);
  const client = createEventLogClient(server.address);
  try {
    expect(server.store.replicas).toBe(1);
    const info = await callUnary(client.getLogInfo.bind(client), {});
    expect(info).toMatchObject({ storage: 'jetstream', replicas: 1 });
  } finally {
    client.close();
    await server.shutdown();
  }
});

it('continues a read that ended inside a message without searching the stream again', async () => {
  const config = readJetStreamStorageConfig(env());
  const writer = await JetStreamLogStore.open({ config, logger, maxGroupAppends: 1 });
  // A cache of two messages per tier, one message read ahead: whatever a search touched is gone by the next read.
  const reader = await JetStreamLogStore.open({ config, logger, pollMs: 3_600_000, readAheadMessages: 1, cacheLimits: { tailValues: 20, historyValues: 20 } });
  const counter = await connect({ servers: nats.url });
  try {
    // 64 messages of 10 values: message n (from 1) holds offsets 10(n-1)..10n-1, value = offset.
    for (let message = 0; message < 64; message += 1) {
      const values = BigInt64Array.from({ length: 10 }, (_, i) => BigInt(message * 10 + i));
      await writer.append({ values, expectedNextOffset: undefined, idempotencyKey: undefined });
    }
    await waitFor(() => reader.nextOffset() === 640n, { description: 'the reader sees the head', timeoutMs: 10_000 });
    let gets = 0;
    counter.subscribe(`$JS.API.STREAM.MSG.GET.${config.stream}`, {
      callback: () => {
        gets += 1;
      },
    });
    await counter.flush();

    const first = await reader.read(405n, 10); // ends at 415, inside message 42
    expect(Array.from(first.values)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(405 + i)));
    await counter.flush();
    const searched = gets;
    expect(searched).toBeGreaterThan(3); // a binary search: the cache knew nothing

    const next = await reader.read(415n, 10); // messages 42 and 43, plus one read ahead
    expect(Array.from(next.values)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(415 + i)));
    await counter.flush();
    expect(gets - searched).toBeLessThanOrEqual(3);
  } finally {
    await counter.close();
    await reader.close();
    await writer.close();
  }
});

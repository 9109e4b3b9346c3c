import { callUnary, createEventLogClient } from '@hello-es/contracts';
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

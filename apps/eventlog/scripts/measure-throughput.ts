/**
 * Measures the event log's append and catch-up rates against the built
 * server (dist/apps/eventlog/main.js) on a temp data dir, with fsync on.
 *
 *   npx nx build eventlog && npx tsx --tsconfig tsconfig.base.json apps/eventlog/scripts/measure-throughput.ts
 *
 * Optional arguments: single-append count (default 100000) and batched events
 * (default 1000000); the catch-up then reads everything stored. MEASURE_CHANNELS
 * (default 4) spreads the appends over that many connections; EVENTLOG_STORAGE
 * picks the backend; EVENTLOG_ADDRESS measures single appends against a running server.
 */
import { callUnary, createEventLogClient, type EventLogServiceClient, type SubscribeResponse } from '@hello-es/contracts';
import { makeTempDir, removeTempDir, spawnApp } from '@hello-es/test-support';
import { countEncodedEvents, rawSubscribe } from '../src/testing/raw-subscription';

const singleCount = Number(process.argv[2] ?? 100_000);
const batchedEvents = Number(process.argv[3] ?? 1_000_000);

async function appendAll(address: string, total: number, perAppend: number, inFlight: number): Promise<number> {
  // Several channels (HTTP/2 connections) share the in-flight calls, as several clients would.
  const channels = Number(process.env['MEASURE_CHANNELS'] ?? 4);
  const clients = Array.from({ length: channels }, () => createEventLogClient(address, { channelOptions: { 'grpc.use_local_subchannel_pool': 1 } }));
  const values = Array.from({ length: perAppend }, (_, index) => BigInt((index % 7) - 3));
  let sent = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, worker) => {
      const client = clients[worker % channels] as EventLogServiceClient;
      const append = client.append.bind(client);
      while (sent < total) {
        sent += perAppend;
        await callUnary(append, { values, idempotencyKey: '' });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const client of clients) client.close();
  return sent / seconds;
}

async function catchUp(address: string, generated: boolean): Promise<{ rate: number; events: number }> {
  const started = process.hrtime.bigint();
  let events = 0;
  if (generated) {
    const client = createEventLogClient(address);
    await new Promise<void>((resolve, reject) => {
      const stream = client.subscribe({ fromOffset: 0n, subscriberName: 'measure' });
      stream.on('data', (message: SubscribeResponse) => {
        if (message.kind?.$case === 'events') events += message.kind.value.events.length;
        if (message.kind?.$case === 'caughtUp') {
          stream.cancel();
          resolve();
        }
      });
      stream.on('error', (error: Error & { code?: number }) => (error.code === 1 ? resolve() : reject(error)));
    });
    client.close();
  } else {
    const { client, stream } = rawSubscribe(address, { fromOffset: 0n, subscriberName: 'measure-raw' });
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (message: Buffer) => {
        const counted = countEncodedEvents(message);
        if (counted >= 0) events += counted;
        else {
          stream.cancel();
          resolve();
        }
      });
      stream.on('error', (error: Error & { code?: number }) => (error.code === 1 ? resolve() : reject(error)));
    });
    client.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rate: events / seconds, events };
}

async function main(): Promise<void> {
  const external = process.env['EVENTLOG_ADDRESS'];
  if (external) {
    console.log(`single-value appends, 64 in flight: ${Math.round(await appendAll(external, singleCount, 1, 64))} events/s`);
    return;
  }
  const dataDir = await makeTempDir('eventlog-measure-');
  const app = await spawnApp('eventlog', { env: { EVENTLOG_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir, EVENTLOG_STORAGE: process.env['EVENTLOG_STORAGE'] ?? 'file' } });
  try {
    const single = await appendAll(app.address, singleCount, 1, 64);
    console.log(`single-value appends, 64 in flight: ${Math.round(single)} events/s (${singleCount} appends)`);
    const batched = await appendAll(app.address, batchedEvents, 1_000, 64);
    console.log(`batches of 1,000, 64 in flight: ${Math.round(batched)} events/s (${batchedEvents} events)`);
    const infoClient = createEventLogClient(app.address);
    const info = await callUnary(infoClient.getLogInfo.bind(infoClient), {});
    infoClient.close();
    console.log(`stored events: ${info.nextOffset}`);
    const raw = await catchUp(app.address, false);
    console.log(`subscribe from 0, raw client: ${Math.round(raw.rate)} events/s (${raw.events} events)`);
    const decoded = await catchUp(app.address, true);
    console.log(`subscribe from 0, generated client: ${Math.round(decoded.rate)} events/s (${decoded.events} events)`);
  } finally {
    await app.stop();
    await removeTempDir(dataDir);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

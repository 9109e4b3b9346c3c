/**
 * The jetstream store in-process (no gRPC) against bare JetStream
 * publishing in the same run, on a nats-server started here: appends/s at
 * 1 and 64 in flight through one store, bare `js.publish` 1 and 64 deep,
 * and the read path (store.read from 0 in Subscribe's batches over a log
 * stored 1,000 values per message, with the process's memory before and
 * after). Figures for docs/jetstream.md ("Figures").
 *
 *   npx tsx --tsconfig tsconfig.base.json apps/eventlog/scripts/measure-jetstream-pipeline.ts \
 *     [--appends 4000] [--read-events 10000000] [--rounds 2]
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import pino from 'pino';
import { readJetStreamStorageConfig } from '../src/store/jetstream/jetstream-config';
import { JetStreamLogStore } from '../src/store/jetstream/jetstream-log-store';
import { subjectOf } from '../src/store/jetstream/stream-setup';
import { startNatsServer } from '../src/testing/nats-server';

const logger = pino({ level: 'silent' });
const READ_BATCH = 4_096; // Subscribe's batch (service/handler-deps.ts)

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}

async function rate(total: number, inFlight: number, step: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        next += 1;
        await step();
      }
    }),
  );
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

function line(name: string, value: number, unit: string): void {
  console.log(`${name.padEnd(60)} ${Math.round(value).toLocaleString('en-US').padStart(12)} ${unit}`);
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

async function main(): Promise<void> {
  const appends = option('--appends', 4_000);
  const readEvents = option('--read-events', 2_000_000);
  const rounds = option('--rounds', 2);
  const nats = await startNatsServer();
  try {
    const nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    await jsm.streams.add({ name: 'BARE', subjects: ['bare'] });
    const js = jetstream(nc);
    const one = new Uint8Array(8);
    const env = { NATS_URL: nats.url, NATS_STREAM: 'PIPELINE' };
    const store = await JetStreamLogStore.open({ config: readJetStreamStorageConfig(env), logger });
    // Alternate the rows so load swings on the shared machine hit all of them.
    for (let round = 1; round <= rounds; round += 1) {
      console.log(`round ${round}`);
      const bare1 = await rate(appends / 4, 1, () => js.publish('bare', one));
      const store1 = await rate(appends / 4, 1, () => store.append({ values: [1n] }));
      const bare64 = await rate(appends, 64, () => js.publish('bare', one));
      const store64 = await rate(appends, 64, () => store.append({ values: [1n] }));
      line('bare js.publish, 1 value, 1 in flight', bare1, 'msg/s');
      line('store.append, 1 value, 1 in flight', store1, `appends/s (${(store1 / bare1).toFixed(2)}x bare)`);
      line('bare js.publish, 1 value, 64 in flight', bare64, 'msg/s');
      line('store.append, 1 value, 64 in flight', store64, `appends/s (${(store64 / bare64).toFixed(2)}x bare)`);
    }
    await store.close();

    // A log stored 1,000 values per message, written directly (one writer: offsets are known).
    const messages = Math.ceil(readEvents / 1_000);
    const values = new BigInt64Array(1_000).map((_, index) => BigInt(index) * 1_000_003n);
    const payload = new Uint8Array(values.buffer);
    const subject = subjectOf('READ');
    const reading = { NATS_URL: nats.url, NATS_STREAM: 'READ' };
    const writer = await JetStreamLogStore.open({ config: readJetStreamStorageConfig(reading), logger });
    await writer.close();
    let written = 0;
    await rate(messages, 64, () => {
      const h = headers();
      h.set('Hello-Es-First-Offset', String((written++) * 1_000));
      h.set('Hello-Es-Count', '1000');
      return js.publish(subject, payload, { headers: h });
    });
    // Publishes 64 deep may complete out of order only if headers were set out of order: they are set in call order.
    global.gc?.();
    const reader = await JetStreamLogStore.open({ config: readJetStreamStorageConfig(reading), logger });
    const before = process.memoryUsage();
    const head = reader.nextOffset();
    let offset = 0n;
    let checksum = 0n;
    let peakRss = before.rss;
    const started = process.hrtime.bigint();
    while (offset < head) {
      const batch = await reader.read(offset, READ_BATCH);
      checksum += batch.values[batch.count - 1] ?? 0n;
      offset += BigInt(batch.count);
      if ((offset / BigInt(READ_BATCH)) % 256n === 0n) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = process.memoryUsage();
    line(`store.read from 0 over ${head} events (1,000 per message)`, Number(head) / seconds, 'events/s');
    console.log(
      `memory: rss ${mb(before.rss)} -> ${mb(after.rss)} MiB (peak sampled ${mb(peakRss)}), heap used ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MiB (checksum ${checksum % 1000n})`,
    );
    await reader.close();
    await nc.close();
  } finally {
    await nats.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// The cost of the Prometheus metrics, in one run:
//   npx nx build eventlog && npx tsx apps/eventlog/scripts/measure-metrics-cost.ts [seconds=5] [w2Events=1000000] [rounds=2]
// Spawns the built event log with EVENTLOG_METRICS_LISTEN=off and =127.0.0.1:0,
// alternating (off, on, off, on, …) so drift on a shared machine hits both,
// for each storage (memory: the CPU cost undiluted by fsync; file: what runs
// by default). With metrics on, /metrics is scraped every second during the
// run (15 times Prometheus's default rate: the worst case).
// W1: appends of one value, 64 in flight, for `seconds`. W2: Subscribe from 0
// over `w2Events` events (filled in appends of 10,000), until caught up.
import { callUnary, createEventLogClient, type EventLogServiceClient, type SubscribeResponse } from '@hello-es/contracts';
import { findFreePort, makeTempDir, metricsAddressOf, removeTempDir, scrapeMetrics, spawnApp } from '@hello-es/test-support';

const seconds = Number(process.argv[2] ?? 5);
const w2Events = Number(process.argv[3] ?? 1_000_000);
const rounds = Number(process.argv[4] ?? 2);

async function w1(log: EventLogServiceClient): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      await callUnary(log.append.bind(log), { values: [1n], idempotencyKey: '' }, { timeoutMs: 10_000 });
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 64 }, worker));
  return done / ((performance.now() - started) / 1000);
}

async function w2(log: EventLogServiceClient): Promise<number> {
  const values = Array.from({ length: 10_000 }, () => 1n);
  for (let i = 0; i < w2Events / 10_000; i++) await callUnary(log.append.bind(log), { values, idempotencyKey: '' }, { timeoutMs: 30_000 });
  const started = performance.now();
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    const stream = log.subscribe({ fromOffset: 0n, subscriberName: 'metrics-cost' });
    stream.on('data', (message: SubscribeResponse) => {
      if (message.kind?.$case === 'events') seen += message.kind.value.events.length;
      if (message.kind?.$case === 'caughtUp') {
        stream.on('error', () => undefined);
        stream.cancel();
        resolve();
      }
    });
    stream.once('error', reject);
  });
  return seen / ((performance.now() - started) / 1000);
}

/** Scrapes every second until stopped; returns how many scrapes were made. */
function scrapeEverySecond(address: string): () => Promise<number> {
  let scrapes = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await scrapeMetrics(address);
      scrapes += 1;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return scrapes;
  };
}

async function main(): Promise<void> {
  console.log(`| storage | metrics | round | W1 appends/s (64 in flight, ${seconds} s) | W2 Subscribe from 0 events/s (${w2Events}) | scrapes |\n|---|---|---|---|---|---|`);
  for (const storage of ['memory', 'file']) {
    for (let round = 1; round <= rounds; round += 1) {
      for (const metrics of ['off', 'on']) {
        const dir = await makeTempDir('metrics-cost-');
        const port = await findFreePort();
        const app = await spawnApp('eventlog', {
          env: {
            EVENTLOG_LISTEN: `127.0.0.1:${port}`,
            EVENTLOG_STORAGE: storage,
            DATA_DIR: dir,
            EVENTLOG_METRICS_LISTEN: metrics === 'on' ? '127.0.0.1:0' : 'off',
          },
        });
        const log = createEventLogClient(`127.0.0.1:${port}`);
        try {
          const stopScraping = metrics === 'on' ? scrapeEverySecond(metricsAddressOf(app)) : async () => 0;
          const appends = await w1(log);
          const events = await w2(log);
          const scrapes = await stopScraping();
          console.log(`| ${storage} | ${metrics} | ${round} | ${Math.round(appends).toLocaleString('en')} | ${Math.round(events).toLocaleString('en')} | ${scrapes} |`);
        } finally {
          log.close();
          await app.stop();
          await removeTempDir(dir);
        }
      }
    }
  }
}

void main();

// The cost of the Prometheus metrics, in one run:
//   npx nx build eventlog && npx tsx apps/eventlog/scripts/measure-metrics-cost.ts [seconds=5] [w2Events=1000000] [rounds=2] [micro]
// (`micro` as the 4th argument: only the in-process part, no spawned server).
// Spawns the built event log with EVENTLOG_METRICS_LISTEN=off and =127.0.0.1:0,
// alternating (off, on, off, on, …) so drift on a shared machine hits both,
// for each storage (memory: the CPU cost undiluted by fsync; file: what runs
// by default). With metrics on, /metrics is scraped every second during the
// run (15 times Prometheus's default rate: the worst case).
// W1: appends of one value, 64 in flight, for `seconds`. W2: Subscribe from 0
// over `w2Events` events (filled in appends of 10,000), until caught up.
// Besides the rates, the event log's own CPU time per append (W1) and per
// event (W2), from /proc/PID/stat: on a shared, loaded machine the rates
// swing with the neighbours, the CPU spent per unit of work much less.
// Last, the interceptor and the store observer in a loop (CPU per call).
import { readFileSync } from 'node:fs';
import { Metadata } from '@grpc/grpc-js';
import { callUnary, createEventLogClient, EventLogServiceService, type EventLogServiceClient, type SubscribeResponse } from '@hello-es/contracts';
import { createMetricsRegistry, rpcMetrics, type CallContext, type ServerInterceptor } from '@hello-es/grpc-server';
import { findFreePort, makeTempDir, metricsAddressOf, removeTempDir, scrapeMetrics, spawnApp } from '@hello-es/test-support';

const seconds = Number(process.argv[2] ?? 5);
const w2Events = Number(process.argv[3] ?? 1_000_000);
const rounds = Number(process.argv[4] ?? 2);

/** User + system CPU seconds of a process so far (Linux). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function measured<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number }> {
  const before = cpuSecondsOf(pid);
  const result = await work();
  return { result, cpuSeconds: cpuSecondsOf(pid) - before };
}

async function w1(log: EventLogServiceClient): Promise<{ rate: number; appends: number }> {
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
  return { rate: done / ((performance.now() - started) / 1000), appends: done };
}

async function fill(log: EventLogServiceClient): Promise<void> {
  const values = Array.from({ length: 10_000 }, () => 1n);
  for (let i = 0; i < w2Events / 10_000; i++) await callUnary(log.append.bind(log), { values, idempotencyKey: '' }, { timeoutMs: 30_000 });
}

async function w2(log: EventLogServiceClient): Promise<number> {
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
  console.log(
    `| storage | metrics | round | W1 appends/s (64 in flight, ${seconds} s) | W1 eventlog CPU µs/append | W2 Subscribe from 0 events/s (${w2Events}) | W2 eventlog CPU µs/event | scrapes |\n|---|---|---|---|---|---|---|---|`,
  );
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
          const pid = app.process.pid as number;
          const one = await measured(pid, () => w1(log));
          await fill(log);
          const two = await measured(pid, () => w2(log));
          const scrapes = await stopScraping();
          const cpu1 = (one.cpuSeconds * 1e6) / one.result.appends;
          const cpu2 = (two.cpuSeconds * 1e6) / w2Events;
          console.log(
            `| ${storage} | ${metrics} | ${round} | ${Math.round(one.result.rate).toLocaleString('en')} | ${cpu1.toFixed(0)} | ${Math.round(two.result).toLocaleString('en')} | ${cpu2.toFixed(2)} | ${scrapes} |`,
          );
        } finally {
          log.close();
          await app.stop();
          await removeTempDir(dir);
        }
      }
    }
  }
}

/** CPU µs per call of `interceptor` around a handler that resolves at once. */
async function cpuPerCall(interceptor: ServerInterceptor, calls: number): Promise<number> {
  const call: CallContext = {
    path: '/eventlog.v1.EventLogService/Append',
    service: 'eventlog.v1.EventLogService',
    method: 'Append',
    kind: 'unary',
    metadata: new Metadata(),
    peer: 'ipv4:127.0.0.1:1',
    signal: new AbortController().signal,
    end: () => undefined,
  };
  const next = (): Promise<void> => Promise.resolve();
  const before = process.cpuUsage();
  for (let index = 0; index < calls; index += 1) await interceptor.intercept(call, next);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

async function micro(): Promise<void> {
  const passThrough: ServerInterceptor = { name: 'pass', intercept: (_call, next) => next() };
  const metrics = rpcMetrics(createMetricsRegistry({ defaultMetrics: false }), [EventLogServiceService]);
  const calls = 1_000_000;
  await cpuPerCall(metrics, 100_000);
  const rows: string[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const base = await cpuPerCall(passThrough, calls);
    const withMetrics = await cpuPerCall(metrics, calls);
    rows.push(`| ${round} | ${base.toFixed(3)} | ${withMetrics.toFixed(3)} | ${(withMetrics - base).toFixed(3)} |`);
  }
  console.log(`\n| round | pass-through interceptor, CPU µs/call | rpcMetrics, CPU µs/call | cost µs/RPC |\n|---|---|---|---|\n${rows.join('\n')}`);
  // One scrape of a registry like the event log's (default metrics + RPC metrics), CPU ms.
  const registry = createMetricsRegistry();
  rpcMetrics(registry, [EventLogServiceService]);
  await registry.metrics();
  const before = process.cpuUsage();
  for (let index = 0; index < 100; index += 1) await registry.metrics();
  const used = process.cpuUsage(before);
  console.log(`\none scrape (default + RPC metrics): ${((used.user + used.system) / 100 / 1000).toFixed(2)} ms CPU`);
}

void (process.argv[5] === 'micro' ? micro() : main().then(micro));

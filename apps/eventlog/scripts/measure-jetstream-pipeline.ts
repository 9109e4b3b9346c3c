/**
 * The jetstream store in-process (no gRPC) against bare JetStream
 * publishing (same client, 8-byte messages, no headers) in the same run, on
 * a nats-server started here: appends/s at 1 and 64 in flight through one
 * store as a ratio of bare `js.publish` measured right before, CPU per
 * append of this process and of nats-server (steadier than rates on a
 * shared machine), and the read path: store.read from 0 in Subscribe's
 * batches of 4,096 over a log stored 1,000 values per message, with the
 * process's memory. Medians over the rounds. Figures for docs/jetstream.md.
 *
 *   npx tsx --tsconfig tsconfig.base.json apps/eventlog/scripts/measure-jetstream-pipeline.ts \
 *     [--rounds 5] [--appends 2000] [--read-events 10000000] [--before DIR]
 *
 * `--before DIR`: also measure another version of the store side by side,
 * for example main's: `mkdir tmp-main && git archive main apps/eventlog/src | tar -x -C tmp-main`
 * in the repository root, then `--before tmp-main` (delete tmp-main afterwards).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import pino from 'pino';
import type { LogStore } from '../src/store/log-store';
import { readJetStreamStorageConfig } from '../src/store/jetstream/jetstream-config';
import { JetStreamLogStore } from '../src/store/jetstream/jetstream-log-store';
import { subjectOf } from '../src/store/jetstream/stream-setup';
import { startNatsServer } from '../src/testing/nats-server';

const logger = pino({ level: 'silent' });
const READ_BATCH = 4_096; // Subscribe's batch (service/handler-deps.ts)

interface StoreKind {
  readonly name: string;
  open(env: Record<string, string>): Promise<LogStore>;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** CPU microseconds nats-server has used (utime + stime from /proc, in clock ticks of 10 ms). */
function serverCpuUs(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function main(): Promise<void> {
  const rounds = Number(option('--rounds') ?? 5);
  const appends = Number(option('--appends') ?? 2_000);
  const readEvents = Number(option('--read-events') ?? 2_000_000);
  const beforeDir = option('--before');
  const kinds: StoreKind[] = [];
  if (beforeDir) {
    const module = (await import(resolve(beforeDir, 'apps/eventlog/src/store/jetstream/jetstream-log-store'))) as { JetStreamLogStore: typeof JetStreamLogStore };
    kinds.push({ name: 'before', open: (env) => module.JetStreamLogStore.open({ config: readJetStreamStorageConfig(env), logger }) });
  }
  kinds.push({ name: beforeDir ? 'after' : 'store', open: (env) => JetStreamLogStore.open({ config: readJetStreamStorageConfig(env), logger }) });

  const nats = await startNatsServer();
  try {
    const port = nats.url.split(':').at(-1) ?? '';
    const serverPid = Number(execFileSync('pgrep', ['-f', `nats-server.*-p ${port}`], { encoding: 'utf8' }).trim().split('\n')[0]);
    const nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    await jsm.streams.add({ name: 'BARE', subjects: ['bare'] });
    const js = jetstream(nc);
    const one = new Uint8Array(8);
    const rows = new Map<string, number[]>();
    const record = (row: string, value: number) => rows.set(row, [...(rows.get(row) ?? []), value]);

    /** Appends/s of `step` run `total` times with `inFlight` at once; records CPU per op under `row`. */
    async function rate(row: string, total: number, inFlight: number, step: () => Promise<unknown>): Promise<number> {
      let next = 0;
      const [started, cpu, server] = [process.hrtime.bigint(), process.cpuUsage(), serverCpuUs(serverPid)];
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < total) {
            next += 1;
            await step();
          }
        }),
      );
      const used = process.cpuUsage(cpu);
      if (inFlight > 1) {
        record(`${row}: this process, µs CPU per op`, (used.user + used.system) / total);
        record(`${row}: nats-server, µs CPU per op`, (serverCpuUs(serverPid) - server) / total);
      }
      return total / (Number(process.hrtime.bigint() - started) / 1e9);
    }

    const stores = await Promise.all(kinds.map(async (kind) => ({ kind, store: await kind.open({ NATS_URL: nats.url, NATS_STREAM: `APPEND_${kind.name}` }) })));
    // Each store's rate is divided by bare publishing measured just before it: load swings on a shared machine hit both.
    for (let round = 0; round < rounds; round += 1) {
      for (const inFlight of [1, 64]) {
        const total = inFlight === 1 ? appends / 4 : appends;
        for (const { kind, store } of stores) {
          const bare = await rate(`bare js.publish, ${inFlight} in flight`, total, inFlight, () => js.publish('bare', one));
          record(`bare js.publish, 1 value, ${inFlight} in flight (msg/s)`, bare);
          const ours = await rate(`${kind.name} store.append, ${inFlight} in flight`, total, inFlight, () => store.append({ values: [1n] }));
          record(`${kind.name} store.append, 1 value, ${inFlight} in flight (appends/s)`, ours);
          record(`${kind.name} store.append, 1 value, ${inFlight} in flight / bare`, ours / bare);
        }
      }
    }
    for (const { store } of stores) await store.close();
    for (const [row, values] of rows) {
      const ratio = row.endsWith('/ bare');
      const shown = (value: number) => (ratio ? value.toFixed(2) : Math.round(value).toLocaleString('en-US'));
      console.log(`${row.padEnd(64)} median ${shown(median(values)).padStart(8)}   (${values.map(shown).join(', ')})`);
    }
    if (readEvents > 0) await measureRead(nats.url, readEvents, kinds);
    await nc.close();
  } finally {
    await nats.stop();
  }
}

/** A log of `events` stored 1,000 values per message (written directly: one writer, offsets known), read from 0 by a fresh store of each kind, twice. */
async function measureRead(url: string, events: number, kinds: readonly StoreKind[]): Promise<void> {
  const env = { NATS_URL: url, NATS_STREAM: 'READ' };
  await (await JetStreamLogStore.open({ config: readJetStreamStorageConfig(env), logger })).close();
  const nc = await connect({ servers: url });
  const js = jetstream(nc);
  const payload = new Uint8Array(new BigInt64Array(1_000).map((_, index) => BigInt(index)).buffer);
  let written = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (written < events / 1_000) {
        const h = headers();
        // Headers are set in call order and publishes on one connection are stored in that order.
        h.set('Hello-Es-First-Offset', String(written++ * 1_000));
        h.set('Hello-Es-Count', '1000');
        await js.publish(subjectOf('READ'), payload, { headers: h });
      }
    }),
  );
  await nc.close();
  for (let round = 0; round < 2; round += 1) {
    for (const kind of kinds) {
      const store = await kind.open(env);
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const head = store.nextOffset();
      const [started, cpu] = [process.hrtime.bigint(), process.cpuUsage()];
      let batches = 0;
      for (let offset = 0n; offset < head; batches += 1) {
        offset += BigInt((await store.read(offset, READ_BATCH)).count);
        if (batches % 256 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const used = process.cpuUsage(cpu);
      console.log(
        `${kind.name} store.read from 0 over ${head} events (1,000 per message): ${Math.round(Number(head) / seconds).toLocaleString('en-US')} events/s, ` +
          `CPU ${Math.round(((used.user + used.system) / 1e6 / seconds) * 100)}% of the time, rss ${Math.round(rssBefore / 2 ** 20)} MiB -> peak ${Math.round(peak / 2 ** 20)} MiB`,
      );
      await store.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Single-value appends against a spawned event log (file storage, fdatasync
 * per group), unary Append vs the appender over AppendStream, at 64 and 1 in
 * flight: events/s, and CPU per event of this client and of the event log
 * (CPU per event holds up on a busy machine, where wall-clock rates do not).
 * Run `npx nx build eventlog` first.
 *
 *   npx tsx --tsconfig tsconfig.base.json apps/eventlog/scripts/measure-append-stream.ts [events] [rounds]
 */
import { readFileSync } from 'node:fs';
import { callUnary, createAppender, createEventLogClient, type EventLogServiceClient } from '@hello-es/contracts';
import { makeTempDir, removeTempDir, spawnApp } from '@hello-es/test-support';

/** User + system CPU seconds of a process, from /proc (clock ticks of 10 ms). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Row {
  readonly name: string;
  readonly perSecond: number;
  readonly clientMicros: number;
  readonly serverMicros: number;
}

async function measure(name: string, pid: number, events: number, inFlight: number, append: (value: bigint) => Promise<unknown>): Promise<Row> {
  const serverBefore = cpuSecondsOf(pid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < events) await append(BigInt(next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  return {
    name,
    perSecond: Math.round(events / seconds),
    clientMicros: Math.round((client.user + client.system) / events),
    serverMicros: Math.round(((cpuSecondsOf(pid) - serverBefore) * 1e6) / events),
  };
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 20_000);
  const rounds = Number(process.argv[3] ?? 2);
  const dataDir = await makeTempDir('measure-append-stream-');
  const app = await spawnApp('eventlog', { env: { EVENTLOG_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir } });
  const pid = app.process.pid as number;
  const client: EventLogServiceClient = createEventLogClient(app.address);
  const appender = createAppender(client);
  const unary = (value: bigint): Promise<unknown> => callUnary(client.append.bind(client), { values: [value], idempotencyKey: '' });
  const streamed = (value: bigint): Promise<unknown> => appender.append([value]);
  try {
    await measure('warm-up', pid, 2_000, 64, streamed);
    await measure('warm-up', pid, 2_000, 64, unary);
    const rows: Row[] = [];
    for (let round = 0; round < rounds; round += 1) {
      rows.push(await measure('unary Append, 64 in flight', pid, events, 64, unary));
      rows.push(await measure('appender, 64 in flight', pid, events, 64, streamed));
      rows.push(await measure('unary Append, 1 in flight', pid, Math.ceil(events / 10), 1, unary));
      rows.push(await measure('appender, 1 in flight', pid, Math.ceil(events / 10), 1, streamed));
    }
    console.log('| workload | events/s | client CPU µs/event | event log CPU µs/event |');
    console.log('|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.name} | ${row.perSecond} | ${row.clientMicros} | ${row.serverMicros} |`);
  } finally {
    await appender.close();
    client.close();
    await app.stop();
    await removeTempDir(dataDir);
  }
}

void main();

import { Redis } from 'ioredis';
import type { BenchContext } from '../context';
import { RunRecorder } from '../context';
import { F } from '../figures';
import { formatNumber } from '../report/format';
import { percentile, ratePerSecond } from '../report/stats';
import { NotExactError } from '../system/check-state';
import { CpuMeter, formatCpu } from '../system/cpu-time';
import { ExpectedFold } from '../values';
import { FoldingReader } from './folding-reader';
import { findRedisServer, REDIS_PACKAGE, startRedisServer, type RedisServer } from './redis-server';
import { xaddWindow } from './xadd-window';

/** Redis's durability as run here, printed beside its figures. */
export const REDIS_DURABILITY =
  'Redis Streams runs with appendonly yes, appendfsync always: the AOF is written and fsynced before a reply leaves (one fsync per event-loop turn, shared by the XADDs of that turn), as our Append replies only after fdatasync. This is the fair durable peer.';

const KEY = 'w1';

interface Phase {
  readonly name: string;
  readonly count: number;
  readonly window: number;
  readonly ids: { readonly rate: string; readonly p50: string; readonly p99: string; readonly ackP99: string };
  readonly cpu: { readonly client: string; readonly server: string };
}

function connect(server: RedisServer): Redis {
  // No retries and no reconnects: a dead server fails the figure at once.
  return new Redis({ host: server.host, port: server.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
}

/**
 * The durable peer: redis-server with `appendfsync always` on a free
 * loopback port and a temp dir; W1 through ioredis (`XADD` on one
 * connection, 1 and 64 in flight) until two `XREAD BLOCK` readers, standing
 * in for the adder and the multiplier, have folded everything.
 */
export async function runRedis(context: BenchContext, run: string): Promise<void> {
  const ids = [...Object.values(F.redis.single), ...Object.values(F.redis.window), ...Object.values(F.cpu.redisSingle), ...Object.values(F.cpu.redisWindow)];
  const binary = findRedisServer();
  if (!binary) {
    const reason = `redis-server not found: sudo apt-get install -y ${REDIS_PACKAGE}`;
    for (const id of ids) context.outcomes.skipped(id, reason);
    context.progress.note(`Redis skipped: ${reason}`);
    return;
  }
  const recorder = new RunRecorder(context, ids);
  context.progress.step(`${run} Redis: starting redis-server --appendfsync always`);
  let server: RedisServer | undefined;
  const connections: Redis[] = [];
  const readers: FoldingReader[] = [];
  try {
    server = await startRedisServer(binary);
    context.notes.add(`Redis: redis-server ${server.version}. ${REDIS_DURABILITY}`);
    const s = context.sizes;
    const phases: Phase[] = [
      { name: 'W1, 1 in flight', count: s.redisSingleAppends, window: 1, ids: F.redis.single, cpu: F.cpu.redisSingle },
      { name: `W1, ${s.window} in flight`, count: s.redisWindowAppends, window: s.window, ids: F.redis.window, cpu: F.cpu.redisWindow },
    ];
    const capacity = phases.reduce((sum, p) => sum + p.count, 0);
    const writer = connect(server);
    connections.push(writer);
    await writer.connect();
    for (let i = 0; i < 2; i++) {
      const connection = connect(server);
      connections.push(connection);
      await connection.connect();
      const reader = new FoldingReader(connection, KEY, capacity);
      readers.push(reader);
      reader.start();
    }
    const expected = new ExpectedFold();
    for (const phase of phases) await measurePhase(context, run, { writer, readers, serverPid: server.pid }, expected, phase, recorder);
  } catch (error: unknown) {
    recorder.failRest(error);
  } finally {
    for (const reader of readers) await reader.stop().catch(() => undefined);
    for (const connection of connections) connection.disconnect();
    await server?.stop();
  }
}

async function measurePhase(
  context: BenchContext,
  run: string,
  peer: { readonly writer: Redis; readonly readers: readonly FoldingReader[]; readonly serverPid: number },
  expected: ExpectedFold,
  phase: Phase,
  recorder: RunRecorder,
): Promise<void> {
  context.progress.step(`${run} Redis ${phase.name}`);
  const { writer, readers } = peer;
  const base = expected.count;
  const meter = new CpuMeter({ server: peer.serverPid });
  const timeline = await xaddWindow(writer, KEY, expected, {
    count: phase.count,
    window: phase.window,
    onProgress: (done) => context.progress.update(`${done.toLocaleString('en-US')}/${phase.count.toLocaleString('en-US')} XADDs`),
  });
  const allAt = Math.max(...(await Promise.all(readers.map((r) => r.waitFor(expected.count)))));
  const cpu = meter.perEvent(phase.count);
  for (const reader of readers) {
    if (reader.sum !== expected.sum || reader.product !== expected.product || reader.count !== expected.count) {
      throw new NotExactError(`Redis reader folded ${reader.count} values to ${reader.sum}/${reader.product}, expected ${expected.count}: ${expected.sum}/${expected.product}`);
    }
  }
  const rate = ratePerSecond(phase.count, allAt - (timeline.starts[0] ?? allAt));
  const latencies = new Float64Array(phase.count);
  const acks = new Float64Array(phase.count);
  for (let i = 0; i < phase.count; i++) {
    const start = timeline.starts[i] as number;
    latencies[i] = Math.max(...readers.map((r) => r.arrivedAt(base + i))) - start;
    acks[i] = (timeline.acks[i] as number) - start;
  }
  latencies.sort();
  acks.sort();
  recorder.value(phase.ids.rate, rate);
  recorder.value(phase.ids.p50, percentile(latencies, 50));
  recorder.value(phase.ids.p99, percentile(latencies, 99));
  recorder.value(phase.ids.ackP99, percentile(acks, 99));
  recorder.value(phase.cpu.client, cpu.client);
  recorder.value(phase.cpu.server, cpu.server);
  context.progress.note(
    `${formatNumber(rate, 'events/s')} events/s, p50 ${formatNumber(percentile(latencies, 50), 'ms')} ms, p99 ${formatNumber(percentile(latencies, 99), 'ms')} ms (reply p99 ${formatNumber(percentile(acks, 99), 'ms')} ms); exact; CPU µs/event: ${formatCpu(cpu)}`,
  );
}

import type { ReferenceRow, Row } from './report/rows';

/** The CPU figures of one W1 phase: the benchmark process and each app. */
function cpuIds(phase: string) {
  return {
    client: `cpu.${phase}.client`,
    eventlog: `cpu.${phase}.eventlog`,
    adder: `cpu.${phase}.adder`,
    multiplier: `cpu.${phase}.multiplier`,
  } as const;
}

/** The same figure ids under a deployment's prefix ("js-r1." + id); '' leaves them as they are. */
export function prefixed<T extends Readonly<Record<string, string>>>(ids: T, prefix: string): T {
  if (prefix === '') return ids;
  return Object.fromEntries(Object.entries(ids).map(([key, id]) => [key, `${prefix}${id}`])) as T;
}

/** Figure ids, shared by the code that measures and the report. */
export const F = {
  w1Single: { rate: 'w1-1.rate', p50: 'w1-1.p50', p99: 'w1-1.p99', ackP99: 'w1-1.ack-p99' },
  w1Window: { rate: 'w1-64.rate', p50: 'w1-64.p50', p99: 'w1-64.p99', ackP99: 'w1-64.ack-p99' },
  w1StreamSingle: { rate: 'w1s-1.rate', p50: 'w1s-1.p50', p99: 'w1s-1.p99', ackP99: 'w1s-1.ack-p99' },
  w1StreamWindow: { rate: 'w1s-64.rate', p50: 'w1s-64.p50', p99: 'w1s-64.p99', ackP99: 'w1s-64.ack-p99' },
  w1b: { rate: 'w1b.rate', p99: 'w1b.p99' },
  w1bStream: { rate: 'w1bs.rate', p99: 'w1bs.p99' },
  w2: { subscribe: 'w2.subscribe.rate', catchUpRate: 'w2.adder.rate', catchUpTime: 'w2.adder.time' },
  w3: { restart: 'w3.restart.time' },
  m: { stored: 'm.rss.stored', storedNow: 'm.rss.stored-now', idle: 'm.rss.idle', stuckAdds: 'm.rss.stuck-adds' },
  storage: {
    single: 'storage.write-1.rate',
    singleP99: 'storage.write-1.p99',
    window: 'storage.write-64.rate',
    batch: 'storage.write-64x1000.rate',
    read: 'storage.read.rate',
  },
  transport: {
    single: 'transport.unary-1.rate',
    singleP99: 'transport.unary-1.p99',
    window: 'transport.unary-64.rate',
    batch: 'transport.unary-64x1000.rate',
    stream: 'transport.stream.rate',
    bidiSingle: 'transport.bidi-1.rate',
    bidiSingleP99: 'transport.bidi-1.p99',
    bidiWindow: 'transport.bidi-64.rate',
  },
  jetstream: {
    singleRate: 'js.w1-1.rate',
    singleP50: 'js.w1-1.p50',
    singleP99: 'js.w1-1.p99',
    windowRate: 'js.w1-64.rate',
    windowP50: 'js.w1-64.p50',
    windowP99: 'js.w1-64.p99',
    batch: 'js.w1b.rate',
    replay: 'js.w2.replay.rate',
    rss: 'js.rss',
  },
  /** µs of CPU per event, by process (client = the benchmark process). */
  cpu: {
    w1Single: cpuIds('w1-1'),
    w1Window: cpuIds('w1-64'),
    w1StreamSingle: cpuIds('w1s-1'),
    w1StreamWindow: cpuIds('w1s-64'),
    redisSingle: { client: 'cpu.redis-1.client', server: 'cpu.redis-1.server' },
    redisWindow: { client: 'cpu.redis-64.client', server: 'cpu.redis-64.server' },
  },
  /** The same phases on a deployment with every app's /metrics on and scraped every second (issue 14). */
  metricsOn: {
    w1Window: { rate: 'metrics-on.w1-64.rate', p99: 'metrics-on.w1-64.p99' },
    w1StreamWindow: { rate: 'metrics-on.w1s-64.rate', p99: 'metrics-on.w1s-64.p99' },
    w1b: { rate: 'metrics-on.w1b.rate', p99: 'metrics-on.w1b.p99' },
  },
  redis: {
    single: { rate: 'redis.w1-1.rate', p50: 'redis.w1-1.p50', p99: 'redis.w1-1.p99', ackP99: 'redis.w1-1.ack-p99' },
    window: { rate: 'redis.w1-64.rate', p50: 'redis.w1-64.p50', p99: 'redis.w1-64.p99', ackP99: 'redis.w1-64.ack-p99' },
  },
} as const;

const transportStream = { name: 'grpc-js stream', id: F.transport.stream };

const W1 = 'W1 append + fan-out (unary Append)';
const W1S = 'W1 over AppendStream (createAppender: appends pipelined over one bidi stream)';

const WORKLOAD_ROWS: readonly Row[] = [
  { workload: W1, label: '1 in flight: events/s', unit: 'events/s', ours: F.w1Single.rate, limit: { name: 'storage, 1 record/durable write', id: F.storage.single }, peer: F.jetstream.singleRate, redis: F.redis.single.rate },
  { workload: W1, label: '1 in flight: p50 append→applied in both', unit: 'ms', ours: F.w1Single.p50, peer: F.jetstream.singleP50, redis: F.redis.single.p50 },
  { workload: W1, label: '1 in flight: p99 append→applied in both', unit: 'ms', ours: F.w1Single.p99, limit: { name: 'storage, O_DSYNC write p99', id: F.storage.singleP99 }, peer: F.jetstream.singleP99, redis: F.redis.single.p99, target: { text: '< 5 ms', below: 5 } },
  { workload: W1, label: '1 in flight: p99 append→reply (durable)', unit: 'ms', ours: F.w1Single.ackP99, limit: { name: 'storage, O_DSYNC write p99', id: F.storage.singleP99 }, redis: F.redis.single.ackP99 },
  { workload: W1, label: '64 in flight: events/s', unit: 'events/s', ours: F.w1Window.rate, limit: { name: 'grpc-js unary, 64 in flight', id: F.transport.window }, peer: F.jetstream.windowRate, redis: F.redis.window.rate, target: { text: '≥ 30,000/s and ≥ 50% of grpc-js unary', atLeast: 30_000, minShareOfLimit: 0.5 } },
  { workload: W1, label: '64 in flight: p50 append→applied in both', unit: 'ms', ours: F.w1Window.p50, peer: F.jetstream.windowP50, redis: F.redis.window.p50 },
  { workload: W1, label: '64 in flight: p99 append→applied in both', unit: 'ms', ours: F.w1Window.p99, peer: F.jetstream.windowP99, redis: F.redis.window.p99 },
  { workload: W1, label: '64 in flight: p99 append→reply (durable)', unit: 'ms', ours: F.w1Window.ackP99, redis: F.redis.window.ackP99 },
  { workload: W1S, label: '1 in flight: events/s', unit: 'events/s', ours: F.w1StreamSingle.rate, limit: { name: 'grpc-js bidi, 1 in flight', id: F.transport.bidiSingle }, peer: F.jetstream.singleRate, redis: F.redis.single.rate },
  { workload: W1S, label: '1 in flight: p50 append→applied in both', unit: 'ms', ours: F.w1StreamSingle.p50, peer: F.jetstream.singleP50, redis: F.redis.single.p50 },
  { workload: W1S, label: '1 in flight: p99 append→applied in both', unit: 'ms', ours: F.w1StreamSingle.p99, peer: F.jetstream.singleP99, redis: F.redis.single.p99, target: { text: '≤ 3 ms', atMost: 3 } },
  { workload: W1S, label: '1 in flight: p99 append→reply (durable)', unit: 'ms', ours: F.w1StreamSingle.ackP99, limit: { name: 'grpc-js bidi p99', id: F.transport.bidiSingleP99 }, redis: F.redis.single.ackP99, target: { text: '≤ 2 ms', atMost: 2 } },
  { workload: W1S, label: '64 in flight: events/s until applied in both', unit: 'events/s', ours: F.w1StreamWindow.rate, limit: { name: 'grpc-js bidi, 64 in flight', id: F.transport.bidiWindow }, peer: F.jetstream.windowRate, redis: F.redis.window.rate, target: { text: '≥ 40,000/s', atLeast: 40_000 } },
  { workload: W1S, label: '64 in flight: events/s against JetStream', unit: 'events/s', ours: F.w1StreamWindow.rate, peer: F.jetstream.windowRate, target: { text: '≥ 1.1× JetStream', minRatioToPeer: 1.1 } },
  { workload: W1S, label: '64 in flight: events/s against Redis (appendfsync always)', unit: 'events/s', ours: F.w1StreamWindow.rate, redis: F.redis.window.rate, target: { text: '≥ 1.5× Redis', minRatioToRedis: 1.5 } },
  { workload: W1S, label: '64 in flight: p50 append→applied in both', unit: 'ms', ours: F.w1StreamWindow.p50, peer: F.jetstream.windowP50, redis: F.redis.window.p50 },
  { workload: W1S, label: '64 in flight: p99 append→applied in both', unit: 'ms', ours: F.w1StreamWindow.p99, peer: F.jetstream.windowP99, redis: F.redis.window.p99 },
  { workload: W1S, label: '64 in flight: p99 append→reply (durable)', unit: 'ms', ours: F.w1StreamWindow.ackP99, redis: F.redis.window.ackP99 },
  { workload: 'W1b batched (1,000 values/append, 64 in flight)', label: 'events/s until applied in both', unit: 'events/s', ours: F.w1b.rate, limit: { name: 'storage, 64,000 records/durable write', id: F.storage.batch }, peer: F.jetstream.batch, target: { text: '≥ 1,000,000/s and ≥ 40% of storage write', atLeast: 1_000_000, minShareOfLimit: 0.4 } },
  { workload: 'W1b batched (1,000 values/append, 64 in flight)', label: 'p99 append→applied in both', unit: 'ms', ours: F.w1b.p99 },
  { workload: 'W1b batched (1,000 values/append, 64 in flight)', label: 'over AppendStream: events/s until applied in both', unit: 'events/s', ours: F.w1bStream.rate, peer: F.jetstream.batch },
  { workload: 'W1b batched (1,000 values/append, 64 in flight)', label: 'over AppendStream: p99 append→applied in both', unit: 'ms', ours: F.w1bStream.p99 },
  { workload: 'W2 catch-up', label: 'Subscribe from 0, events/s', unit: 'events/s', ours: F.w2.subscribe, limit: transportStream, peer: F.jetstream.replay, target: { text: '≥ 3,000,000/s and ≥ 50% of grpc-js stream', atLeast: 3_000_000, minShareOfLimit: 0.5 } },
  { workload: 'W2 catch-up', label: 'fresh adder, events/s (listening → all applied)', unit: 'events/s', ours: F.w2.catchUpRate, peer: F.jetstream.replay, target: { text: '≥ 1,000,000/s', atLeast: 1_000_000 } },
  { workload: 'W2 catch-up', label: 'fresh adder, spawn → GetState shows all', unit: 's', ours: F.w2.catchUpTime },
  { workload: 'W3 restart', label: 'adder kill -9, spawn → full state served', unit: 's', ours: F.w3.restart, target: { text: '< 1 s', below: 1 } },
  { workload: 'M memory', label: 'eventlog peak RSS, events stored', unit: 'MB', ours: F.m.stored, peer: F.jetstream.rss, target: { text: '< 150 MB', below: 150 } },
  { workload: 'M memory', label: 'eventlog RSS once stored (VmRSS, settled)', unit: 'MB', ours: F.m.storedNow },
  { workload: 'M memory', label: 'eventlog peak RSS, + idle subscribers', unit: 'MB', ours: F.m.idle, target: { text: '< 150 MB', below: 150 } },
  { workload: 'M memory', label: 'RSS added by one stuck subscriber', unit: 'MB', ours: F.m.stuckAdds, target: { text: '< 32 MB', below: 32 } },
];

const METRICS = 'Metrics on (every app serving /metrics, scraped every second) against off, same run';
const metricsOff = (id: string) => ({ name: 'metrics off (the rows above)', id });

/** What Prometheus metrics cost: metrics on by default only if this is within noise. */
const METRICS_ROWS: readonly Row[] = [
  { workload: METRICS, label: 'W1 unary, 64 in flight: events/s', unit: 'events/s', ours: F.metricsOn.w1Window.rate, limit: metricsOff(F.w1Window.rate) },
  { workload: METRICS, label: 'W1 unary, 64 in flight: p99 append→applied in both', unit: 'ms', ours: F.metricsOn.w1Window.p99, limit: metricsOff(F.w1Window.p99) },
  { workload: METRICS, label: 'W1 AppendStream, 64 in flight: events/s', unit: 'events/s', ours: F.metricsOn.w1StreamWindow.rate, limit: metricsOff(F.w1StreamWindow.rate) },
  { workload: METRICS, label: 'W1 AppendStream, 64 in flight: p99 append→applied in both', unit: 'ms', ours: F.metricsOn.w1StreamWindow.p99, limit: metricsOff(F.w1StreamWindow.p99) },
  { workload: METRICS, label: 'W1b, 1,000 values × 64 in flight: events/s', unit: 'events/s', ours: F.metricsOn.w1b.rate, limit: metricsOff(F.w1b.rate) },
];

const CPU = 'CPU per event, by process (µs of utime+stime per event applied in both)';

function cpuRows(
  name: string,
  ids: ReturnType<typeof cpuIds>,
  redis?: { readonly client: string; readonly server: string },
): Row[] {
  return [
    { workload: CPU, label: `${name}: client (benchmark process: appends + 2 WatchState; Redis: XADD + 2 XREAD readers)`, unit: 'µs', ours: ids.client, ...(redis ? { redis: redis.client } : {}) },
    { workload: CPU, label: `${name}: eventlog (Redis: redis-server)`, unit: 'µs', ours: ids.eventlog, ...(redis ? { redis: redis.server } : {}) },
    { workload: CPU, label: `${name}: adder`, unit: 'µs', ours: ids.adder },
    { workload: CPU, label: `${name}: multiplier`, unit: 'µs', ours: ids.multiplier },
  ];
}

/** Where the CPU goes, at every hop (issue 12 asks for it at 1 and 64 in flight). */
export const CPU_ROWS: readonly Row[] = [
  ...cpuRows('W1 unary, 1 in flight', F.cpu.w1Single, F.cpu.redisSingle),
  ...cpuRows('W1 unary, 64 in flight', F.cpu.w1Window, F.cpu.redisWindow),
  ...cpuRows('W1 AppendStream, 1 in flight', F.cpu.w1StreamSingle, F.cpu.redisSingle),
  ...cpuRows('W1 AppendStream, 64 in flight', F.cpu.w1StreamWindow, F.cpu.redisWindow),
];

/** The tables of the report, one workload after another, then where the CPU goes. */
export const ROWS: readonly Row[] = [...WORKLOAD_ROWS, ...METRICS_ROWS, ...CPU_ROWS];

/** Every reference figure, listed on its own. */
export const REFERENCE_ROWS: readonly ReferenceRow[] = [
  { label: 'storage: 1 record per O_DSYNC write, records/s', unit: 'events/s', id: F.storage.single },
  { label: 'storage: 1 record O_DSYNC write, p99', unit: 'ms', id: F.storage.singleP99 },
  { label: 'storage: 64 records per O_DSYNC write, records/s', unit: 'events/s', id: F.storage.window },
  { label: 'storage: 64,000 records per O_DSYNC write, records/s', unit: 'events/s', id: F.storage.batch },
  { label: 'storage: read back + decode, records/s', unit: 'events/s', id: F.storage.read },
  { label: 'grpc-js unary, 1 in flight, calls/s', unit: 'events/s', id: F.transport.single },
  { label: 'grpc-js unary, 1 in flight, p99', unit: 'ms', id: F.transport.singleP99 },
  { label: 'grpc-js unary, 64 in flight, calls/s', unit: 'events/s', id: F.transport.window },
  { label: 'grpc-js unary, 1,000 values × 64 in flight, values/s', unit: 'events/s', id: F.transport.batch },
  { label: 'grpc-js server stream of EventBatch, events/s', unit: 'events/s', id: F.transport.stream },
  { label: 'grpc-js bidi stream (AppendStream), 1 in flight, appends/s', unit: 'events/s', id: F.transport.bidiSingle },
  { label: 'grpc-js bidi stream (AppendStream), 1 in flight, p99', unit: 'ms', id: F.transport.bidiSingleP99 },
  { label: 'grpc-js bidi stream (AppendStream), 64 in flight, appends/s', unit: 'events/s', id: F.transport.bidiWindow },
  { label: 'JetStream W1 1 in flight, msgs/s', unit: 'events/s', id: F.jetstream.singleRate },
  { label: 'JetStream W1 64 in flight, msgs/s', unit: 'events/s', id: F.jetstream.windowRate },
  { label: 'JetStream W1b 1,000-message batches, msgs/s', unit: 'events/s', id: F.jetstream.batch },
  { label: 'JetStream ordered consumer replay, msgs/s', unit: 'events/s', id: F.jetstream.replay },
  { label: 'nats-server peak RSS', unit: 'MB', id: F.jetstream.rss },
  { label: 'Redis (appendfsync always) W1 1 in flight, XADDs/s applied by both readers', unit: 'events/s', id: F.redis.single.rate },
  { label: 'Redis (appendfsync always) W1 1 in flight, p99 XADD→reply (durable)', unit: 'ms', id: F.redis.single.ackP99 },
  { label: 'Redis (appendfsync always) W1 64 in flight, XADDs/s applied by both readers', unit: 'events/s', id: F.redis.window.rate },
];

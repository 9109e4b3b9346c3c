import { DiscardPolicy, jetstream, jetstreamManager, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { BenchContext } from '../context';
import { RunRecorder } from '../context';
import { F, prefixed } from '../figures';
import { FoldingConsumer } from '../jetstream/folding-consumer';
import { publishWindow } from '../jetstream/publish-window';
import { formatNumber } from '../report/format';
import { percentile, ratePerSecond } from '../report/stats';
import { NotExactError } from '../system/check-state';
import { ExpectedFold } from '../values';
import { FILL_BATCH } from '../workloads/w2-catch-up';
import type { RunningNats } from './nats-deployments';

/** The fill of W2, as the gateway deployments do it: messages of 10,000 values, 8 in flight. */
const W2_WINDOW = 8;

interface Phase {
  readonly name: string;
  readonly count: number;
  readonly window: number;
  readonly batch: number;
  readonly rate: string;
  readonly p50?: string;
  readonly p99?: string;
}

let streams = 0;

/**
 * Bare JetStream on the same servers as a gateway, through the same client
 * (@nats-io/jetstream), no gateway: W1 (1 and 64 in flight), W1b (1,000
 * values per message) and W2 (a fresh ordered consumer reading a stream of
 * 10,000-value messages). Two ordered consumers stand in for the reducers.
 * Streams are created as the gateway creates its own (file storage,
 * discard new, the deployment's replicas).
 */
export async function runBarePublishing(
  context: BenchContext,
  run: string,
  nats: RunningNats,
  prefix: string,
  parts: { readonly w1: boolean; readonly w1b: boolean; readonly w2: boolean },
): Promise<void> {
  const ids = prefixed(F.jetstream, prefix);
  const s = context.sizes;
  const phases: Phase[] = [];
  if (parts.w1) {
    phases.push({ name: 'W1, 1 in flight', count: s.jsSinglePublishes, window: 1, batch: 1, rate: ids.singleRate, p50: ids.singleP50, p99: ids.singleP99 });
    phases.push({ name: `W1, ${s.window} in flight`, count: s.jsWindowPublishes, window: s.window, batch: 1, rate: ids.windowRate, p50: ids.windowP50, p99: ids.windowP99 });
  }
  if (parts.w1b) phases.push({ name: `W1b, ${s.batchValues} values per message`, count: s.jsBatches, window: s.window, batch: s.batchValues, rate: ids.batch });
  if (phases.length === 0 && !parts.w2) return;
  const recorder = new RunRecorder(context, [...phases.flatMap((p) => [p.rate, p.p50, p.p99].filter((id): id is string => id !== undefined)), ...(parts.w2 ? [ids.replay] : [])]);
  const label = `bare JetStream R${nats.replicas}`;
  context.progress.step(`${run} ${label}: connecting`);
  const connection = await connect({ servers: nats.url.split(',') }).catch((error: unknown) => {
    recorder.failRest(error);
    return undefined;
  });
  if (!connection) return;
  const consumers: FoldingConsumer[] = [];
  try {
    const manager = await jetstreamManager(connection);
    const js = jetstream(connection);
    if (phases.length > 0) {
      const stream = await addStream(manager, nats.replicas);
      const capacity = phases.reduce((sum, p) => sum + p.count, 0);
      for (let i = 0; i < 2; i++) consumers.push(new FoldingConsumer(capacity));
      for (const consumer of consumers) await consumer.start(js, stream.name);
      const expected = new ExpectedFold();
      for (const phase of phases) await measurePhase(context, `${run} ${label}`, js, stream.subject, consumers, expected, phase, recorder);
    }
    if (parts.w2) await measureReplay(context, `${run} ${label}`, js, manager, nats.replicas, ids.replay, recorder);
  } catch (error: unknown) {
    recorder.failRest(error);
  } finally {
    for (const consumer of consumers) await consumer.stop().catch(() => undefined);
    await connection.close();
  }
}

async function addStream(manager: JetStreamManager, replicas: number): Promise<{ name: string; subject: string }> {
  streams += 1;
  const name = `BARE_${process.pid}_${streams}`;
  const subject = `bare.${process.pid}.${streams}`;
  await manager.streams.add({ name, subjects: [subject], storage: StorageType.File, discard: DiscardPolicy.New, num_replicas: replicas });
  return { name, subject };
}

async function measurePhase(
  context: BenchContext,
  step: string,
  js: JetStreamClient,
  subject: string,
  consumers: readonly FoldingConsumer[],
  expected: ExpectedFold,
  phase: Phase,
  recorder: RunRecorder,
): Promise<void> {
  context.progress.step(`${step} ${phase.name}`);
  const timeline = await publishWindow(js, subject, expected, {
    count: phase.count,
    window: phase.window,
    batch: phase.batch,
    onProgress: (done) => context.progress.update(`${done.toLocaleString('en-US')}/${phase.count.toLocaleString('en-US')} publishes`),
  });
  const lastSeq = Math.max(...timeline.seqs);
  const allAt = Math.max(...(await Promise.all(consumers.map((c) => c.waitFor(lastSeq)))));
  for (const consumer of consumers) {
    if (consumer.sum !== expected.sum || consumer.product !== expected.product || consumer.count !== expected.count) {
      throw new NotExactError(`ordered consumer folded ${consumer.count} values to ${consumer.sum}/${consumer.product}, expected ${expected.count}: ${expected.sum}/${expected.product}`);
    }
  }
  const rate = ratePerSecond(phase.count * phase.batch, allAt - (timeline.starts[0] ?? allAt));
  recorder.value(phase.rate, rate);
  const latencies = new Float64Array(phase.count);
  for (let i = 0; i < phase.count; i++) {
    latencies[i] = Math.max(...consumers.map((c) => c.arrivedAt(timeline.seqs[i] as number))) - (timeline.starts[i] as number);
  }
  latencies.sort();
  if (phase.p50) recorder.value(phase.p50, percentile(latencies, 50));
  if (phase.p99) recorder.value(phase.p99, percentile(latencies, 99));
  context.progress.note(`${formatNumber(rate, 'events/s')} values/s, p50 ${formatNumber(percentile(latencies, 50), 'ms')} ms, p99 ${formatNumber(percentile(latencies, 99), 'ms')} ms; exact`);
}

async function measureReplay(
  context: BenchContext,
  step: string,
  js: JetStreamClient,
  manager: JetStreamManager,
  replicas: number,
  id: string,
  recorder: RunRecorder,
): Promise<void> {
  const messages = Math.ceil(context.sizes.w2Events / FILL_BATCH);
  context.progress.step(`${step} W2: storing ${(messages * FILL_BATCH).toLocaleString('en-US')} values, ${FILL_BATCH.toLocaleString('en-US')} per message`);
  const stream = await addStream(manager, replicas);
  const expected = new ExpectedFold();
  await publishWindow(js, stream.subject, expected, { count: messages, window: W2_WINDOW, batch: FILL_BATCH });
  context.progress.step(`${step} W2: fresh ordered consumer from the start`);
  const replay = new FoldingConsumer(0);
  const started = performance.now();
  await replay.start(js, stream.name);
  try {
    const doneAt = await replay.waitFor(messages);
    if (replay.sum !== expected.sum || replay.count !== expected.count) {
      throw new NotExactError(`ordered consumer replay folded ${replay.count} values to ${replay.sum}, expected ${expected.count}: ${expected.sum}`);
    }
    const rate = ratePerSecond(expected.count, doneAt - started);
    recorder.value(id, rate);
    context.progress.note(`${formatNumber(rate, 'events/s')} values/s (${formatNumber(rate / FILL_BATCH, 'events/s')} messages/s); exact`);
  } finally {
    await replay.stop();
  }
}

import { DiscardPolicy, jetstream, jetstreamManager, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { BenchContext } from '../context';
import { RunRecorder } from '../context';
import { F, prefixed } from '../figures';
import { FoldingConsumer } from '../jetstream/folding-consumer';
import { measurePublishPhase, type PublishPhase } from '../jetstream/publish-phase';
import { publishWindow } from '../jetstream/publish-window';
import { formatNumber } from '../report/format';
import { ratePerSecond } from '../report/stats';
import { NotExactError } from '../system/check-state';
import { ExpectedFold } from '../values';
import { FILL_BATCH } from '../workloads/w2-catch-up';
import type { RunningNats } from './nats-deployments';

/** The fill of W2, as the gateway deployments do it: messages of 10,000 values, 8 in flight. */
const W2_WINDOW = 8;

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
  const phases: PublishPhase[] = [];
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
      for (const phase of phases) await measurePublishPhase(context, `${run} ${label}`, js, stream.subject, consumers, expected, phase, recorder);
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

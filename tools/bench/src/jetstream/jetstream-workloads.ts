import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { BenchContext } from '../context';
import { RunRecorder } from '../context';
import { F } from '../figures';
import { formatNumber } from '../report/format';
import { ratePerSecond } from '../report/stats';
import { NotExactError } from '../system/check-state';
import { sampleMemory } from '../system/rss';
import { ExpectedFold } from '../values';
import { FoldingConsumer } from './folding-consumer';
import { findNatsServer, NATS_PACKAGE, startNatsServer } from './nats-server';
import { measurePublishPhase, type PublishPhase } from './publish-phase';
import { publishWindow } from './publish-window';

/** JetStream's durability as run here, printed beside its figures. */
export const JETSTREAM_DURABILITY =
  'JetStream runs with its defaults (file storage, 1 replica): it acknowledges a publish once written to the OS, without fsync (nats-server 2.9 syncs in the background); our Append replies only after fdatasync.';

/**
 * The peer: nats-server with JetStream on a free loopback port, the same
 * workloads through @nats-io/jetstream. Two ordered consumers from the start
 * stand in for the adder and the multiplier; W2 is a fresh ordered consumer
 * replaying a stream of single-value messages.
 */
export async function runJetStream(context: BenchContext, run: string): Promise<void> {
  const ids = Object.values(F.jetstream);
  const binary = findNatsServer();
  if (!binary) {
    const reason = `nats-server not on PATH: sudo apt-get install -y ${NATS_PACKAGE}`;
    for (const id of ids) context.outcomes.skipped(id, reason);
    context.progress.note(`JetStream skipped: ${reason}`);
    return;
  }
  const recorder = new RunRecorder(context, ids);
  context.progress.step(`${run} JetStream: starting nats-server -js`);
  const server = await startNatsServer(binary).catch((error: unknown) => {
    recorder.failRest(error);
    return undefined;
  });
  if (!server) return;
  context.notes.add(`JetStream: nats-server ${server.version}. ${JETSTREAM_DURABILITY}`);
  const connection = await connect({ servers: server.url }).catch((error: unknown) => {
    recorder.failRest(error);
    return undefined;
  });
  if (!connection) {
    await server.stop();
    return;
  }
  const consumers: FoldingConsumer[] = [];
  try {
    const manager = await jetstreamManager(connection);
    const js = jetstream(connection);
    await manager.streams.add({ name: 'W1', subjects: ['w1'] });
    const s = context.sizes;
    const phases: PublishPhase[] = [
      { name: 'W1, 1 in flight', count: s.jsSinglePublishes, window: 1, batch: 1, rate: F.jetstream.singleRate, p50: F.jetstream.singleP50, p99: F.jetstream.singleP99 },
      { name: `W1, ${s.window} in flight`, count: s.jsWindowPublishes, window: s.window, batch: 1, rate: F.jetstream.windowRate, p50: F.jetstream.windowP50, p99: F.jetstream.windowP99 },
      { name: `W1b, ${s.batchValues} values per message`, count: s.jsBatches, window: s.window, batch: s.batchValues, rate: F.jetstream.batch },
    ];
    const capacity = phases.reduce((sum, p) => sum + p.count, 0);
    for (let i = 0; i < 2; i++) consumers.push(new FoldingConsumer(capacity));
    for (const consumer of consumers) await consumer.start(js, 'W1');
    const expected = new ExpectedFold();
    for (const phase of phases) await measurePublishPhase(context, `${run} JetStream`, js, 'w1', consumers, expected, phase, recorder);

    await measureReplay(context, run, js, manager, recorder);
    const memory = await sampleMemory(server.pid);
    recorder.value(F.jetstream.rss, memory.peakMb);
    context.progress.note(`nats-server peak RSS ${formatNumber(memory.peakMb, 'MB')} MB`);
  } catch (error: unknown) {
    recorder.failRest(error);
  } finally {
    for (const consumer of consumers) await consumer.stop().catch(() => undefined);
    await connection.close();
    await server.stop();
  }
}

async function measureReplay(
  context: BenchContext,
  run: string,
  js: JetStreamClient,
  manager: Awaited<ReturnType<typeof jetstreamManager>>,
  recorder: RunRecorder,
): Promise<void> {
  const count = context.sizes.jsReplayMessages;
  context.progress.step(`${run} JetStream W2: storing ${count.toLocaleString('en-US')} messages`);
  await manager.streams.add({ name: 'W2', subjects: ['w2'] });
  const expected = new ExpectedFold();
  await publishWindow(js, 'w2', expected, {
    count,
    window: 1024,
    batch: 1,
    onProgress: (done) => context.progress.update(`${done.toLocaleString('en-US')} stored`),
  });
  context.progress.step(`${run} JetStream W2: fresh ordered consumer from the start`);
  const replay = new FoldingConsumer(0);
  const started = performance.now();
  await replay.start(js, 'W2');
  try {
    const doneAt = await replay.waitFor(count);
    if (replay.sum !== expected.sum || replay.count !== count) {
      throw new NotExactError(`JetStream replay folded ${replay.count} values to ${replay.sum}, expected ${count}: ${expected.sum}`);
    }
    const rate = ratePerSecond(count, doneAt - started);
    recorder.value(F.jetstream.replay, rate);
    context.progress.note(`${formatNumber(rate, 'events/s')} messages/s; exact`);
  } finally {
    await replay.stop();
  }
}

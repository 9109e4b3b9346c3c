import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, headers, type MsgHdrs } from '@nats-io/transport-node';
import { callUnary } from '@hello-es/contracts';
import { waitFor } from '@hello-es/test-support';
import type { BenchContext } from '../context';
import { RunRecorder } from '../context';
import { formatNumber } from '../report/format';
import { ratePerSecond } from '../report/stats';
import { NotExactError } from '../system/check-state';
import { subscribeAll } from '../system/read-all';
import { RssWatcher, sampleMemory } from '../system/rss';
import type { Deployment, System } from '../system/system';
import { cyclicBatches } from '../values';
import { LONG_LOG } from './comparison-figures';
import type { ComparisonSizes } from './comparison-sizes';
import type { RunningNats } from './nats-deployments';

/**
 * The gateway's message format (apps/eventlog/src/store/jetstream/append-message.ts,
 * docs/jetstream.md): headers with the first offset and the count, the
 * values as int64 little-endian. Written here again because the fill goes
 * around the gateway; if the format changes, the gateway's head and the
 * Subscribe checks below fail the run instead of measuring a wrong log.
 */
const FIRST_OFFSET_HEADER = 'Hello-Es-First-Offset';
const COUNT_HEADER = 'Hello-Es-Count';
const FILL_WINDOW = 64;

/**
 * M on a gateway over R1: fill its stream with `longLogEvents` values in
 * messages of `longLogBatch` (bare publishes in the gateway's format, each
 * expecting the previous sequence, so the log is dense or the fill fails),
 * sampling the gateway's RSS while it follows the head and with a tenth and
 * all of the log stored; then one Subscribe from 0 through the gateway reads
 * everything (events/s, messages/s, dense offsets, exact sum) while its RSS
 * is sampled again.
 */
export async function runLongLog(context: BenchContext, run: string, nats: RunningNats, deployment: Deployment, sizes: ComparisonSizes): Promise<void> {
  const recorder = new RunRecorder(context, Object.values(LONG_LOG));
  const total = Math.ceil(sizes.longLogEvents / sizes.longLogBatch) * sizes.longLogBatch;
  const step = `${run} M, gateway R1`;
  context.progress.step(`${step}: starting the gateway`);
  let system: System | undefined;
  const connection = await connect({ servers: nats.url.split(',') }).catch((error: unknown) => {
    recorder.failRest(error);
    return undefined;
  });
  if (!connection) return;
  try {
    system = await deployment.start(false);
    const pid = system.eventlog.process.pid ?? 0;
    const info = await callUnary(system.log.getLogInfo.bind(system.log), {}, { timeoutMs: 10_000 });
    const stream = streamOf(system);
    recorder.value(LONG_LOG.rssStart, (await sampleMemory(pid)).rssMb);
    if (info.nextOffset !== 0n) throw new NotExactError(`the fresh stream starts at offset ${info.nextOffset}`);

    const js = jetstream(connection);
    const filling = new RssWatcher(pid);
    const filler = new Filler(js, stream.subject, sizes.longLogBatch, system);
    context.progress.step(`${step}: storing ${total.toLocaleString('en-US')} events, ${sizes.longLogBatch.toLocaleString('en-US')} per message`);
    const onProgress = (events: number): void => context.progress.update(`${events.toLocaleString('en-US')} events stored`);
    await filler.fillTo(sizes.longLogMark, onProgress);
    await headReaches(system, sizes.longLogMark);
    const atMark = await sampleMemory(pid);
    recorder.value(LONG_LOG.rssMark, atMark.rssMb);
    await filler.fillTo(total, onProgress);
    await headReaches(system, total);
    const atFull = await sampleMemory(pid);
    recorder.value(LONG_LOG.rssFull, atFull.rssMb);
    recorder.value(LONG_LOG.peakFill, await filling.stop());
    context.progress.note(
      `gateway RSS ${formatNumber(atMark.rssMb, 'MB')} MB with ${sizes.longLogMark.toLocaleString('en-US')} events, ${formatNumber(atFull.rssMb, 'MB')} MB with ${total.toLocaleString('en-US')}; peak while filling ${formatNumber(filling.highestMb, 'MB')} MB`,
    );

    context.progress.step(`${step}: Subscribe from 0 through the gateway`);
    const reading = new RssWatcher(pid);
    let markSample: Promise<number> | undefined;
    const read = await subscribeAll(
      system.log,
      total,
      (received) => {
        context.progress.update(`${received.toLocaleString('en-US')} events`);
        if (received >= sizes.longLogMark && !markSample) markSample = sampleMemory(pid).then((m) => m.rssMb);
      },
      600_000,
    );
    const readFull = (await sampleMemory(pid)).rssMb;
    if (read.sum !== system.expected.sum) throw new NotExactError(`Subscribe: sum ${read.sum}, expected ${system.expected.sum}`);
    const rate = ratePerSecond(total, read.milliseconds);
    recorder.value(LONG_LOG.subscribe, rate);
    recorder.value(LONG_LOG.messages, rate / sizes.longLogBatch);
    const readMark = markSample ? await markSample : readFull;
    recorder.value(LONG_LOG.readMark, readMark);
    recorder.value(LONG_LOG.readFull, readFull);
    recorder.value(LONG_LOG.peakRead, await reading.stop());
    context.progress.note(
      `${formatNumber(rate, 'events/s')} events/s (${formatNumber(rate / sizes.longLogBatch, 'events/s')} messages/s); dense, sum exact; gateway RSS ${formatNumber(readMark, 'MB')} MB after a tenth, ${formatNumber(readFull, 'MB')} MB at the end, peak ${formatNumber(reading.highestMb, 'MB')} MB`,
    );
  } catch (error: unknown) {
    recorder.failRest(error);
  } finally {
    await system?.stop();
    await connection.close();
  }
}

/** The gateway's subject: gatewayDeployment names the stream, the gateway derives the subject from it (stream-setup.ts). */
function streamOf(system: System): { subject: string } {
  const name = system.storageEnv['NATS_STREAM'];
  if (!name) throw new Error('the long log needs a gateway deployment (NATS_STREAM unset)');
  return { subject: `hello-es.events.${name}` };
}

async function headReaches(system: System, events: number): Promise<void> {
  await waitFor(
    async () => {
      const info = await callUnary(system.log.getLogInfo.bind(system.log), {}, { timeoutMs: 10_000 });
      return info.nextOffset === BigInt(events);
    },
    { description: `the gateway's head to reach ${events}`, timeoutMs: 60_000, intervalMs: 20 },
  );
}

/** Publishes the log's messages in order, `FILL_WINDOW` in flight, each expecting the sequence before it. */
class Filler {
  private seq = 0;
  private readonly payloads: Uint8Array[];
  private readonly batches;

  constructor(
    private readonly js: JetStreamClient,
    private readonly subject: string,
    private readonly batch: number,
    private readonly system: System,
  ) {
    this.batches = cyclicBatches(batch);
    this.payloads = this.batches.map((b) => new Uint8Array(BigInt64Array.from(b.values).buffer));
  }

  /** Stores messages until the log holds `events` values. */
  async fillTo(events: number, onProgress: (events: number) => void): Promise<void> {
    const target = Math.ceil(events / this.batch);
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    while (this.seq < target && failure === undefined) {
      const index = this.seq;
      this.seq += 1;
      const publish = this.js
        .publish(this.subject, this.payloads[index % 7], { headers: this.headersOf(index), expect: { lastSequence: index } })
        .then((ack) => {
          if (ack.seq !== index + 1) throw new NotExactError(`message ${index} stored at sequence ${ack.seq}`);
          this.system.expected.add(this.batches[index % 7]?.fold ?? { sum: 0n, product: 1n, count: 0 });
          if ((index + 1) % 256 === 0) onProgress((index + 1) * this.batch);
        })
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => inFlight.delete(publish));
      inFlight.add(publish);
      if (inFlight.size >= FILL_WINDOW) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
  }

  private headersOf(index: number): MsgHdrs {
    const result = headers();
    result.set(FIRST_OFFSET_HEADER, String(index * this.batch));
    result.set(COUNT_HEADER, String(this.batch));
    return result;
  }
}

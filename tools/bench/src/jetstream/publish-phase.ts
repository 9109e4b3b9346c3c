import type { JetStreamClient } from '@nats-io/jetstream';
import type { BenchContext, RunRecorder } from '../context';
import { formatNumber } from '../report/format';
import { percentile, ratePerSecond } from '../report/stats';
import { NotExactError } from '../system/check-state';
import type { ExpectedFold } from '../values';
import type { FoldingConsumer } from './folding-consumer';
import { publishWindow } from './publish-window';

/** One bare JetStream W1/W1b phase: what to publish and the figure ids to record. */
export interface PublishPhase {
  readonly name: string;
  readonly count: number;
  readonly window: number;
  readonly batch: number;
  readonly rate: string;
  readonly p50?: string;
  readonly p99?: string;
}

/**
 * Publishes a phase with a window in flight, waits until every folding
 * consumer has seen the last message, checks their folds are exact, and
 * records values/s (first publish → both consumers have all) and the
 * publish → seen-by-both latencies. Shared by the default benchmark's
 * JetStream peer and the `--storage jetstream` comparison's bare columns.
 */
export async function measurePublishPhase(
  context: BenchContext,
  step: string,
  js: JetStreamClient,
  subject: string,
  consumers: readonly FoldingConsumer[],
  expected: ExpectedFold,
  phase: PublishPhase,
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
      throw new NotExactError(`JetStream consumer folded ${consumer.count} values to ${consumer.sum}/${consumer.product}, expected ${expected.count}: ${expected.sum}/${expected.product}`);
    }
  }
  const rate = ratePerSecond(phase.count * phase.batch, allAt - (timeline.starts[0] ?? allAt));
  recorder.value(phase.rate, rate);
  const latencies = new Float64Array(phase.count);
  for (let i = 0; i < phase.count; i++) {
    const seq = timeline.seqs[i] as number;
    latencies[i] = Math.max(...consumers.map((c) => c.arrivedAt(seq))) - (timeline.starts[i] as number);
  }
  latencies.sort();
  if (phase.p50) recorder.value(phase.p50, percentile(latencies, 50));
  if (phase.p99) recorder.value(phase.p99, percentile(latencies, 99));
  context.progress.note(`${formatNumber(rate, 'events/s')} values/s, p50 ${formatNumber(percentile(latencies, 50), 'ms')} ms, p99 ${formatNumber(percentile(latencies, 99), 'ms')} ms; exact`);
}

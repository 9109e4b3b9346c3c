import type { JetStreamClient } from '@nats-io/jetstream';
import { runPipelined } from '../system/pipelined-window';
import { cyclicBatches, type CyclicBatch, type ExpectedFold } from '../values';
import { encodeValues } from './folding-consumer';

/** When each publish started and the stream sequence its ack gave. */
export interface PublishTimeline {
  readonly starts: Float64Array;
  readonly seqs: Float64Array;
}

/**
 * Publishes `count` messages with ack, keeping `window` in flight, each
 * carrying `batch` values (the -3..3 cycle); adds acknowledged values to
 * `expected`; rejects on the first error.
 */
export async function publishWindow(
  js: JetStreamClient,
  subject: string,
  expected: ExpectedFold,
  options: { readonly count: number; readonly window: number; readonly batch: number; readonly onProgress?: (done: number) => void },
): Promise<PublishTimeline> {
  const batches = cyclicBatches(options.batch);
  const payloads = batches.map((b) => encodeValues(b.values));
  const starts = new Float64Array(options.count);
  const seqs = new Float64Array(options.count);
  await runPipelined(
    options.count,
    options.window,
    (index, finished) => {
      starts[index] = performance.now();
      js.publish(subject, payloads[index % 7]).then(
        (ack) => {
          seqs[index] = ack.seq;
          expected.add((batches[index % 7] as CyclicBatch).fold);
          finished();
        },
        (error: unknown) => finished(error ?? new Error('publish failed')),
      );
    },
    options.onProgress,
  );
  return { starts, seqs };
}

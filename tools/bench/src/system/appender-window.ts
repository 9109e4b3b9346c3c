import { createAppender, type EventLogServiceClient } from '@hello-es/contracts';
import { cyclicBatches, type CyclicBatch, type ExpectedFold } from '../values';
import type { AppendTimeline, AppendWindowOptions } from './append-window';
import { runPipelined } from './pipelined-window';

/**
 * Sends `appends` appends through `createAppender` (all multiplexed over ONE
 * AppendStream, as a user of @hello-es/contracts would), keeping `window` of
 * them in flight; adds every appended value to `expected`; rejects on the
 * first failed append (its AppenderError: the append's own status, or
 * UNAVAILABLE when the stream broke). Closes the appender, waiting for the
 * stream to end, before it resolves.
 */
export async function appenderWindow(
  log: EventLogServiceClient,
  expected: ExpectedFold,
  options: AppendWindowOptions,
): Promise<AppendTimeline> {
  const batches = cyclicBatches(options.batch);
  const starts = new Float64Array(options.appends);
  const acks = new Float64Array(options.appends);
  const nextOffsets = new Float64Array(options.appends);
  const appender = createAppender(log);
  try {
    await runPipelined(
      options.appends,
      options.window,
      (index, finished) => {
        const batch = batches[index % 7] as CyclicBatch;
        starts[index] = performance.now();
        appender.append(batch.values).then(
          (response) => {
            acks[index] = performance.now();
            nextOffsets[index] = Number(response.nextOffset);
            expected.add(batch.fold);
            finished();
          },
          (error: unknown) => finished(error),
        );
      },
      options.onProgress,
    );
  } finally {
    await appender.close();
  }
  return { starts, acks, nextOffsets };
}

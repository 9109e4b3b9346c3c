import type { AppendRequest, EventLogServiceClient } from '@hello-es/contracts';
import { cyclicBatches, type CyclicBatch, type ExpectedFold } from '../values';
import { runPipelined } from './pipelined-window';

export interface AppendWindowOptions {
  readonly appends: number;
  /** How many appends are in flight at once (a pipelined window on one connection). */
  readonly window: number;
  /** Values per append. */
  readonly batch: number;
  /** Called now and then with how many appends completed. */
  readonly onProgress?: (done: number) => void;
}

/** When each append started and was acknowledged (performance.now()), and the next offset it returned. */
export interface AppendTimeline {
  readonly starts: Float64Array;
  readonly acks: Float64Array;
  readonly nextOffsets: Float64Array;
}

/**
 * Sends `appends` Appends keeping `window` in flight on one client, adds
 * every acknowledged value to `expected`, and rejects on the first error.
 */
export async function appendWindow(
  log: EventLogServiceClient,
  expected: ExpectedFold,
  options: AppendWindowOptions,
): Promise<AppendTimeline> {
  const batches = cyclicBatches(options.batch);
  const requests: AppendRequest[] = batches.map((b) => ({ values: b.values, idempotencyKey: '' }));
  const starts = new Float64Array(options.appends);
  const acks = new Float64Array(options.appends);
  const nextOffsets = new Float64Array(options.appends);
  await runPipelined(
    options.appends,
    options.window,
    (index, finished) => {
      starts[index] = performance.now();
      log.append(requests[index % 7] as AppendRequest, (error, response) => {
        if (error) return finished(error);
        acks[index] = performance.now();
        nextOffsets[index] = Number(response.nextOffset);
        expected.add((batches[index % 7] as CyclicBatch).fold);
        finished();
      });
    },
    options.onProgress,
  );
  return { starts, acks, nextOffsets };
}

import type { ClientDuplexStream } from '@grpc/grpc-js';
import type { AppendRequest, AppendStreamRequest, AppendStreamResponse, EventLogServiceClient } from '@hello-es/contracts';
import { cyclicBatches, type CyclicBatch, type ExpectedFold } from '../values';
import type { AppendTimeline, AppendWindowOptions } from './append-window';
import { runPipelined } from './pipelined-window';

/** An append that came back with an AppendError: its gRPC code and message. */
export class AppendStreamError extends Error {
  override readonly name = 'AppendStreamError';

  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`append answered code ${code}: ${message}`);
  }
}

/**
 * Sends `appends` single or batched appends over ONE AppendStream, keeping
 * `window` in flight: each request carries its own request_id, a Map of the
 * pending ones matches each response to its append. Adds every appended
 * value to `expected`, and rejects on the first AppendError or when the
 * stream ends or breaks with appends pending. The stream is half-closed and
 * its end awaited before this resolves.
 */
export async function appendStreamWindow(
  log: EventLogServiceClient,
  expected: ExpectedFold,
  options: AppendWindowOptions,
): Promise<AppendTimeline> {
  const batches = cyclicBatches(options.batch);
  const requests: AppendRequest[] = batches.map((b) => ({ values: b.values, idempotencyKey: '' }));
  const starts = new Float64Array(options.appends);
  const acks = new Float64Array(options.appends);
  const nextOffsets = new Float64Array(options.appends);
  const pending = new Map<bigint, { index: number; finished: (error?: unknown) => void }>();
  const stream: ClientDuplexStream<AppendStreamRequest, AppendStreamResponse> = log.appendStream();
  let broken: unknown;
  const failPending = (error: unknown): void => {
    broken ??= error;
    for (const { finished } of pending.values()) finished(error);
    pending.clear();
  };
  const ended = new Promise<void>((resolve) => {
    stream.on('data', (response: AppendStreamResponse) => {
      const entry = pending.get(response.requestId);
      if (!entry) return failPending(new Error(`a response for request_id ${response.requestId}, which is not pending`));
      pending.delete(response.requestId);
      const result = response.result;
      if (result?.$case !== 'appended') {
        return entry.finished(result ? new AppendStreamError(result.value.code, result.value.message) : new Error('a response with no result'));
      }
      acks[entry.index] = performance.now();
      nextOffsets[entry.index] = Number(result.value.nextOffset);
      expected.add((batches[entry.index % 7] as CyclicBatch).fold);
      entry.finished();
    });
    stream.on('error', (error: Error) => {
      failPending(error);
      resolve();
    });
    stream.on('end', () => {
      failPending(new Error('AppendStream ended with appends in flight'));
      resolve();
    });
  });
  try {
    await runPipelined(
      options.appends,
      options.window,
      (index, finished) => {
        if (broken !== undefined) return finished(broken);
        // request_id 0 would be omitted on the wire (proto3 default): start at 1.
        const requestId = BigInt(index + 1);
        pending.set(requestId, { index, finished });
        starts[index] = performance.now();
        // The window bounds what is buffered, so write's backpressure signal can be ignored.
        stream.write({ requestId, append: requests[index % 7] });
      },
      options.onProgress,
    );
  } catch (error: unknown) {
    stream.cancel();
    throw error;
  }
  stream.end();
  await ended;
  return { starts, acks, nextOffsets };
}

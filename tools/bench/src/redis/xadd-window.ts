import type { Redis } from 'ioredis';
import { runPipelined } from '../system/pipelined-window';
import { cyclicBatches, type CyclicBatch, type ExpectedFold } from '../values';

/** When each XADD started and was answered (durable: appendfsync always). */
export interface XaddTimeline {
  readonly starts: Float64Array;
  readonly acks: Float64Array;
}

/** Orders stream ids ("ms-seq"). */
function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

/**
 * XADDs `count` single-value entries (`v <value>`, the -3..3 cycle) to `key`
 * on one connection, keeping `window` in flight; adds answered values to
 * `expected`; rejects on the first error. Redis runs one connection's
 * commands in order, so the i-th XADD is the stream's i-th new entry; the
 * ids it answers are checked to increase, which proves that mapping.
 */
export async function xaddWindow(
  redis: Redis,
  key: string,
  expected: ExpectedFold,
  options: { readonly count: number; readonly window: number; readonly onProgress?: (done: number) => void },
): Promise<XaddTimeline> {
  const batches = cyclicBatches(1);
  const values = batches.map((b) => String(b.values[0]));
  const starts = new Float64Array(options.count);
  const acks = new Float64Array(options.count);
  const ids: string[] = new Array<string>(options.count);
  await runPipelined(
    options.count,
    options.window,
    (index, finished) => {
      starts[index] = performance.now();
      redis.xadd(key, '*', 'v', values[index % 7] as string).then(
        (id) => {
          acks[index] = performance.now();
          if (id === null) return finished(new Error('XADD answered nil'));
          ids[index] = id;
          expected.add((batches[index % 7] as CyclicBatch).fold);
          finished();
        },
        (error: unknown) => finished(error ?? new Error('XADD failed')),
      );
    },
    options.onProgress,
  );
  for (let i = 1; i < ids.length; i++) {
    if (compareIds(ids[i - 1] as string, ids[i] as string) >= 0) throw new Error(`XADD ids out of order at ${i}: ${ids[i - 1]} then ${ids[i]}`);
  }
  return { starts, acks };
}

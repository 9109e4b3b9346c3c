import type { EventLogServiceClient, SubscribeResponse } from '@hello-es/contracts';
import { NotExactError } from './check-state';

export interface ReadAllResult {
  /** From the call's start to the last event received. */
  readonly milliseconds: number;
  readonly sum: bigint;
}

/**
 * A fresh Subscribe from offset 0 through the generated client, read until
 * `head` events arrived; checks that offsets are dense from 0 (first and
 * last of every batch) and sums the values. Cancels the stream at the end.
 */
export function subscribeAll(
  log: EventLogServiceClient,
  head: number,
  onProgress: (received: number) => void,
  timeoutMs = 300_000,
): Promise<ReadAllResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const stream = log.subscribe({ fromOffset: 0n, subscriberName: 'bench-w2' });
    let next = 0;
    let sum = 0n;
    let finished = false;
    let batches = 0;
    const finish = (error?: Error): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      stream.cancel();
      if (error) reject(error);
      else resolve({ milliseconds: performance.now() - started, sum });
    };
    const timer = setTimeout(() => finish(new Error(`Subscribe delivered ${next} of ${head} events in ${timeoutMs} ms`)), timeoutMs);
    stream.on('data', (message: SubscribeResponse) => {
      if (message.kind?.$case !== 'events') return;
      const events = message.kind.value.events;
      const first = events[0];
      const last = events[events.length - 1];
      if (!first || !last || Number(first.offset) !== next || Number(last.offset) !== next + events.length - 1) {
        finish(new NotExactError(`Subscribe: batch at ${first?.offset} of ${events.length} events after offset ${next - 1}`));
        return;
      }
      for (const event of events) sum += event.value;
      next += events.length;
      if (++batches % 64 === 0) onProgress(next);
      if (next >= head) finish();
    });
    stream.on('error', (error: Error) => finish(error));
    stream.on('end', () => finish(new Error(`Subscribe ended after ${next} of ${head} events`)));
  });
}

import type { LogStore } from '../store/log-store';
import { encodeSubscribeEvents } from './event-encoding';
import type { EventBatch } from '../store/event-batch';
import { BATCH_EVENTS } from './handler-deps';

/** A batch of events from the store, encoded as a SubscribeResponse. */
export interface EncodedBatch {
  readonly count: number;
  readonly message: Buffer;
}

/**
 * The last batch read and encoded for Subscribe, shared by every subscription
 * that asks for the same first offset: live subscribers all wake on the same
 * head advance and ask for the same offsets, so with N reducers the events
 * are read from the tail cache and encoded once, not N times, and every
 * stream writes the same bytes. The key is the first offset alone: below the
 * head the log never changes, so a batch read from an offset is a true
 * prefix of the log there whatever the head is now. A subscriber that asks
 * after the head moved gets that prefix and reads the rest next, which keeps
 * the subscriptions in step; keyed by the head too, they fell out of step
 * for good as soon as the head moved between two of them (at W1b, always),
 * and every batch was read and encoded once per subscriber. One batch is
 * held (at most BATCH_EVENTS events); a failed or empty read is not kept.
 */
export class SharedBatches {
  private last: { readonly fromOffset: bigint; readonly batch: Promise<EncodedBatch> } | undefined;

  /**
   * `source.store` is read at each call: the server's store opens after the
   * handlers are made. `encode` is the message form (one SharedBatches per
   * form: events, or values only).
   */
  constructor(
    private readonly source: { readonly store: LogStore },
    private readonly encode: (batch: EventBatch) => Buffer = encodeSubscribeEvents,
  ) {}

  read(fromOffset: bigint): Promise<EncodedBatch> {
    const last = this.last;
    if (last !== undefined && last.fromOffset === fromOffset) return last.batch;
    const batch = readEncoded(this.source.store, fromOffset, this.encode);
    this.last = { fromOffset, batch };
    // An empty batch (nothing readable there yet) is not kept: the next read must look again.
    const forget = (): void => {
      if (this.last?.batch === batch) this.last = undefined;
    };
    batch.then((read) => {
      if (read.count === 0) forget();
    }, forget);
    return batch;
  }
}

async function readEncoded(store: LogStore, fromOffset: bigint, encode: (batch: EventBatch) => Buffer): Promise<EncodedBatch> {
  const batch = await store.read(fromOffset, BATCH_EVENTS);
  return { count: batch.count, message: encode(batch) };
}

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
 * that asks for the same range: live subscribers all wake on the same head
 * advance and ask for the same offsets, so with N reducers the events are
 * read from the tail cache and encoded once, not N times, and every stream
 * writes the same bytes. The key is the first offset and the head when it
 * was asked for: below the head the log never changes, so the same key
 * always means the same events. One batch is held (at most BATCH_EVENTS
 * events); a failed read is not kept.
 */
export class SharedBatches {
  private last: { readonly fromOffset: bigint; readonly head: bigint; readonly batch: Promise<EncodedBatch> } | undefined;

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
    const store = this.source.store;
    const head = store.nextOffset();
    const last = this.last;
    if (last !== undefined && last.fromOffset === fromOffset && last.head === head) return last.batch;
    const batch = readEncoded(store, fromOffset, this.encode);
    this.last = { fromOffset, head, batch };
    batch.catch(() => {
      if (this.last?.batch === batch) this.last = undefined;
    });
    return batch;
  }
}

async function readEncoded(store: LogStore, fromOffset: bigint, encode: (batch: EventBatch) => Buffer): Promise<EncodedBatch> {
  const batch = await store.read(fromOffset, BATCH_EVENTS);
  return { count: batch.count, message: encode(batch) };
}

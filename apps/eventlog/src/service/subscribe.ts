import type { SubscribeRequest } from '@hello-es/contracts';
import { serverStreamingHandler } from '@hello-es/grpc-server';
import { OffsetOutOfRange } from '../errors';
import { encodeSubscribeCaughtUp, encodeSubscribeStarted, encodeSubscribeValues } from './event-encoding';
import type { HandlerDeps } from './handler-deps';
import { SharedBatches, type EncodedBatch } from './shared-batch';
import { validateSubscribeRequest } from './validation';

/**
 * Subscribe, the catch-up subscription. There is no per-subscriber queue:
 * the generator reads from the store by offset (the shared tail cache or the
 * file), sends `caught_up` once when it reaches the head captured at start,
 * and then waits on the store's shared "head advanced" notification. The
 * hand-over is gap-free by construction (one cursor, one source). While one
 * batch is sent, the next is read and encoded (catch-up from the file then
 * never waits on a disk read between messages); a slow subscriber costs
 * those two batches plus grpc-js's write buffer, because the adapter stops
 * pulling while the stream is not drained. Subscribers asking for the same
 * range in the same form (events, or values only) share one read and one
 * encoding (see shared-batch.ts).
 */
export function subscribeHandler(deps: HandlerDeps) {
  const sharedEvents = new SharedBatches(deps);
  const sharedValues = new SharedBatches(deps, encodeSubscribeValues);
  return serverStreamingHandler<SubscribeRequest, Buffer>(deps.context, 'Subscribe', async function* (request, signal, call) {
    const { fromOffset: requested, subscriberName, fromHead, valuesOnly } = validateSubscribeRequest(request);
    const shared = valuesOnly ? sharedValues : sharedEvents;
    const startHead = deps.store.nextOffset();
    // The head read here is the one `started` reports: no event between a
    // client's GetLogInfo and its Subscribe can be missed or doubled.
    const fromOffset = fromHead ? startHead : requested;
    if (fromOffset > startHead) throw new OffsetOutOfRange(fromOffset, startHead);
    const entry = deps.registry.add(subscriberName, call.getPeer(), fromOffset);
    // The next batch, read and encoded while the current one is being sent.
    let ahead: Promise<EncodedBatch> | undefined;
    try {
      yield encodeSubscribeStarted(deps.store.logId, startHead);
      let caughtUp = false;
      while (!signal.aborted) {
        if (!caughtUp && entry.nextOffset >= startHead) {
          caughtUp = true;
          yield encodeSubscribeCaughtUp(entry.nextOffset);
        } else if (deps.store.nextOffset() > entry.nextOffset) {
          const current = await (ahead ?? shared.read(entry.nextOffset));
          ahead = undefined;
          entry.nextOffset += BigInt(current.count);
          if (deps.store.nextOffset() > entry.nextOffset) ahead = readAhead(shared, entry.nextOffset);
          if (current.count > 0) yield current.message;
        } else {
          await deps.store.waitForHeadBeyond(entry.nextOffset, signal);
        }
      }
    } finally {
      deps.registry.remove(entry);
    }
  });
}

/** A read started early; its failure surfaces when awaited, never as an unhandled rejection if the stream ends first. */
function readAhead(shared: SharedBatches, fromOffset: bigint): Promise<EncodedBatch> {
  const pending = shared.read(fromOffset);
  pending.catch(() => undefined);
  return pending;
}

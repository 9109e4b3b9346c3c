import type { SubscribeRequest } from '@hello-es/contracts';
import { serverStreamingHandler } from '@hello-es/grpc-server';
import { OffsetOutOfRange } from '../errors';
import { encodeSubscribeCaughtUp, encodeSubscribeEvents, encodeSubscribeStarted } from './event-encoding';
import { BATCH_EVENTS, type HandlerDeps } from './handler-deps';
import { validateSubscribeRequest } from './validation';

/**
 * Subscribe, the catch-up subscription. There is no per-subscriber queue:
 * the generator reads from the store by offset (the shared tail cache or the
 * file), sends `caught_up` once when it reaches the head captured at start,
 * and then waits on the store's shared "head advanced" notification. The
 * hand-over is gap-free by construction (one cursor, one source), and a slow
 * subscriber costs one batch in flight plus grpc-js's write buffer, because
 * the adapter stops pulling while the stream is not drained.
 */
export function subscribeHandler(deps: HandlerDeps) {
  return serverStreamingHandler<SubscribeRequest, Buffer>(deps.context, 'Subscribe', async function* (request, signal, call) {
    const { fromOffset, subscriberName } = validateSubscribeRequest(request);
    const startHead = deps.store.nextOffset();
    if (fromOffset > startHead) throw new OffsetOutOfRange(fromOffset, startHead);
    const entry = deps.registry.add(subscriberName, call.getPeer(), fromOffset);
    try {
      yield encodeSubscribeStarted(deps.store.logId, startHead);
      let caughtUp = false;
      while (!signal.aborted) {
        if (!caughtUp && entry.nextOffset >= startHead) {
          caughtUp = true;
          yield encodeSubscribeCaughtUp(entry.nextOffset);
        } else if (deps.store.nextOffset() > entry.nextOffset) {
          const batch = await deps.store.read(entry.nextOffset, BATCH_EVENTS);
          if (batch.count > 0) {
            const encoded = encodeSubscribeEvents(batch);
            entry.nextOffset += BigInt(batch.count);
            yield encoded;
          }
        } else {
          await deps.store.waitForHeadBeyond(entry.nextOffset, signal);
        }
      }
    } finally {
      deps.registry.remove(entry);
    }
  });
}

import type { ReadRequest } from '@hello-es/contracts';
import { serverStreamingHandler } from '@hello-es/grpc-server';
import { OffsetOutOfRange } from '../errors';
import { encodeReadResponse } from './event-encoding';
import { BATCH_EVENTS, type HandlerDeps } from './handler-deps';
import { validateReadRequest } from './validation';

/**
 * Read: the stored events from `from_offset`, at most `max_count` (0: up to
 * the head at the call), in pre-encoded batches of up to 4,096; then ends.
 * OUT_OF_RANGE beyond the head.
 */
export function readHandler(deps: HandlerDeps) {
  const context = { logger: deps.context.logger, mapDomainError: deps.context.mapDomainError };
  return serverStreamingHandler<ReadRequest, Buffer>(context, 'Read', async function* (request, signal) {
    const { fromOffset, maxCount } = validateReadRequest(request);
    const head = deps.store.nextOffset();
    if (fromOffset > head) throw new OffsetOutOfRange(fromOffset, head);
    const end = maxCount === 0n || fromOffset + maxCount > head ? head : fromOffset + maxCount;
    let next = fromOffset;
    while (next < end && !signal.aborted) {
      const want = end - next > BigInt(BATCH_EVENTS) ? BATCH_EVENTS : Number(end - next);
      const batch = await deps.store.read(next, want);
      if (batch.count === 0) return;
      yield encodeReadResponse(batch);
      next += BigInt(batch.count);
    }
  });
}

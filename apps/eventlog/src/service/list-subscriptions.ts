import type { ListSubscriptionsRequest, ListSubscriptionsResponse } from '@hello-es/contracts';
import { unaryHandler } from '@hello-es/grpc-server';
import type { HandlerDeps } from './handler-deps';

/**
 * ListSubscriptions: the open Subscribe calls, oldest first, with lag =
 * head - next offset (this server's head; another gateway's entries are up
 * to a second old). UNAVAILABLE when the other gateways' cannot be read.
 */
export function listSubscriptionsHandler(deps: HandlerDeps) {
  return unaryHandler<ListSubscriptionsRequest, ListSubscriptionsResponse>(deps.context, 'ListSubscriptions', async () => {
    const listed = await deps.subscriptions.list();
    const head = deps.store.nextOffset();
    return {
      subscriptions: listed.map((entry) => ({
        subscriberName: entry.subscriberName,
        peer: entry.peer,
        nextOffset: entry.nextOffset,
        lag: head > entry.nextOffset ? head - entry.nextOffset : 0n,
        since: entry.since,
        gateway: entry.gateway,
      })),
    };
  });
}

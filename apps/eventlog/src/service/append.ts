import type { AppendResponse } from '@hello-es/contracts';
import { unaryHandler } from '@hello-es/grpc-server';
import type { DecodedAppendRequest } from './append-request-decoder';
import type { HandlerDeps } from './handler-deps';
import { validateAppendRequest } from './validation';

/** Append: validated at the edge, answered once the store says the events are durable. */
export function appendHandler(deps: HandlerDeps) {
  return unaryHandler<DecodedAppendRequest, AppendResponse>(deps.context, 'Append', async (request) => {
    const command = validateAppendRequest(request, deps.maxAppendValues);
    return deps.store.append(command);
  });
}

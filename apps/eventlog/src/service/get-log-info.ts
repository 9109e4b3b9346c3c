import type { GetLogInfoRequest, GetLogInfoResponse } from '@hello-es/contracts';
import { unaryHandler } from '@hello-es/grpc-server';
import type { HandlerDeps } from './handler-deps';

/** GetLogInfo: answered from memory, never touching the disk. */
export function getLogInfoHandler(deps: HandlerDeps) {
  return unaryHandler<GetLogInfoRequest, GetLogInfoResponse>(deps.context, 'GetLogInfo', async () => ({
    logId: deps.store.logId,
    nextOffset: deps.store.nextOffset(),
    storage: deps.store.storage,
    replicas: deps.store.replicas ?? 0,
  }));
}

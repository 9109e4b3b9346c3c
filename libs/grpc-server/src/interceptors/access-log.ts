import { status } from '@grpc/grpc-js';
import type { Logger } from '@hello-es/process';
import { isGrpcStatusError } from '../status-error';
import type { ServerInterceptor } from './server-interceptor';

/**
 * One debug-level line per RPC when it ends: method, status code name,
 * duration in ms and peer. Off unless LOG_LEVEL is debug or trace; costs one
 * level check per call otherwise.
 */
export function accessLog(logger: Logger): ServerInterceptor {
  return {
    name: 'access-log',
    async intercept(call, next) {
      if (!logger.isLevelEnabled('debug')) return next();
      const started = performance.now();
      let code: status = status.OK;
      try {
        await next();
      } catch (error: unknown) {
        code = isGrpcStatusError(error) ? error.code : status.UNKNOWN;
        throw error;
      } finally {
        const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
        logger.debug({ method: call.path, status: status[code], durationMs, peer: call.peer }, 'rpc');
      }
    },
  };
}

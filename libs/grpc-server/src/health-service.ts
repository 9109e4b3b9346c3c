import { type Server, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { service as healthServiceDefinition, type HealthImplementation } from 'grpc-health-check';
import { assertWellFormed, tolerateMalformedRequests } from './malformed-request';
import type { GrpcStatusError } from './status-error';

/**
 * Adds grpc.health.v1.Health, as `health.addToServer` would, except that a
 * request that does not decode is answered INVALID_ARGUMENT: grpc-js, and
 * so grpc-health-check, answer it INTERNAL ("Error deserializing request"),
 * which tells a prober the server failed, not the request.
 */
export function addHealthService(server: Server, health: HealthImplementation): void {
  let handlers: UntypedServiceImplementation | undefined;
  // The package builds its handlers only inside addToServer: take them from a stand-in server.
  health.addToServer({ addService: (_definition: unknown, implementation: UntypedServiceImplementation) => (handlers = implementation) } as unknown as Server);
  if (!handlers) throw new Error('grpc-health-check added no handlers');
  const wrapped = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [name, refuseMalformed(methodNameOf(name), handler as Handler)]),
  );
  server.addService(tolerateMalformedRequests(healthServiceDefinition), wrapped);
}

/** 'Check' for 'check': the name in the path, as our own services' messages name theirs. */
function methodNameOf(key: string): string {
  const method = Object.values(healthServiceDefinition).find((definition) => definition.originalName === key);
  return method?.path.split('/').at(-1) ?? key;
}

type Handler = (call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>, callback?: sendUnaryData<unknown>) => void;

function refuseMalformed(method: string, handler: Handler): Handler {
  return (call, callback) => {
    try {
      assertWellFormed(call.request, method);
    } catch (error: unknown) {
      const { code, message } = error as GrpcStatusError;
      if (callback) callback({ code, details: message });
      else (call as ServerWritableStream<unknown, unknown>).emit('error', { code, details: message });
      return;
    }
    handler(call, callback);
  };
}

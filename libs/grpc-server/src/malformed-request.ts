import { status, type ServiceDefinition } from '@grpc/grpc-js';
import { GrpcStatusError } from './status-error';

/**
 * Stands in for a request whose bytes do not decode as the method's message.
 * grpc-js would answer such a request with INTERNAL "Error deserializing
 * request", which blames the server; our handlers answer INVALID_ARGUMENT.
 */
export class MalformedRequest {
  constructor(readonly reason: string) {}
}

/**
 * A copy of `definition` whose request decoders never throw: bytes that do
 * not decode become a {@link MalformedRequest}, which `unaryHandler` and
 * `serverStreamingHandler` turn into INVALID_ARGUMENT.
 */
export function tolerateMalformedRequests(definition: ServiceDefinition): ServiceDefinition {
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => [
      name,
      {
        ...method,
        requestDeserialize: (bytes: Buffer): unknown => {
          try {
            return method.requestDeserialize(bytes);
          } catch (error: unknown) {
            return new MalformedRequest(error instanceof Error ? error.message : String(error));
          }
        },
      },
    ]),
  );
}

/** Throws INVALID_ARGUMENT if the request did not decode. */
export function assertWellFormed(request: unknown, method: string): void {
  if (request instanceof MalformedRequest) {
    throw new GrpcStatusError(status.INVALID_ARGUMENT, `malformed ${method} request: ${request.reason}`);
  }
}

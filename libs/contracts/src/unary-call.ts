import { Metadata, type CallOptions, type ClientUnaryCall, type ServiceError } from '@grpc/grpc-js';

/** A generated client's unary method, in its fullest overload. */
export type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => ClientUnaryCall;

export interface UnaryCallOptions {
  /** Milliseconds from now until the call fails with DEADLINE_EXCEEDED. */
  readonly timeoutMs?: number;
  readonly metadata?: Metadata;
}

/**
 * Calls a unary method of a generated client and returns a promise.
 *
 * ```ts
 * const reply = await callUnary(client.append.bind(client), { values: [5n], idempotencyKey: '' });
 * ```
 * Rejects with the grpc-js `ServiceError` (its `code` is the gRPC status).
 */
export function callUnary<Request, Response>(
  method: UnaryMethod<Request, Response>,
  request: Request,
  options: UnaryCallOptions = {},
): Promise<Response> {
  const callOptions: Partial<CallOptions> =
    options.timeoutMs === undefined ? {} : { deadline: Date.now() + options.timeoutMs };
  return new Promise((resolve, reject) => {
    method(request, options.metadata ?? new Metadata(), callOptions, (error, response) => {
      if (error) reject(error);
      else resolve(response);
    });
  });
}

import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';

// grpc.health.v1.Health/Check by hand: the request is an empty message (all
// services) and the reply's field 1 is the status enum, so two bytes suffice
// and no generated code is needed.
const HealthClient = makeGenericClientConstructor(
  {
    check: {
      path: '/grpc.health.v1.Health/Check',
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: Buffer) => value,
      requestDeserialize: (value: Buffer) => value,
      responseSerialize: (value: Buffer) => value,
      responseDeserialize: (value: Buffer) => value,
    },
  },
  'grpc.health.v1.Health',
);

const STATUS_NAMES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/** The server's overall health ("SERVING", "NOT_SERVING", …); rejects if it cannot be asked. */
export function checkHealth(address: string, timeoutMs = 5_000): Promise<string> {
  const client = new HealthClient(address, credentials.createInsecure());
  return new Promise<string>((resolve, reject) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (value: Buffer) => value,
      (value: Buffer) => value,
      Buffer.alloc(0),
      { deadline: Date.now() + timeoutMs },
      (error: ServiceError | null, response?: Buffer) => {
        client.close();
        if (error) reject(error);
        else resolve(STATUS_NAMES[response?.[0] === 0x08 ? (response[1] ?? 0) : 0] ?? 'UNKNOWN');
      },
    );
  });
}

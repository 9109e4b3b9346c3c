import { credentials, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');

/** Asks grpc.health.v1 at `address` for the server's status: "SERVING", "NOT_SERVING", … */
export async function checkHealth(address: string, service = ''): Promise<string> {
  const client = new HealthClient(address, credentials.createInsecure());
  try {
    return await new Promise<string>((resolve, reject) => {
      const check = client['check'] as (
        request: { service: string },
        metadata: Metadata,
        options: { deadline: number },
        callback: (error: ServiceError | null, response: { status: string }) => void,
      ) => void;
      check.call(client, { service }, new Metadata(), { deadline: Date.now() + 10_000 }, (error, response) => {
        if (error) reject(error);
        else resolve(response.status);
      });
    });
  } finally {
    client.close();
  }
}

import { makeGenericClientConstructor, Metadata, status, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { allServers, type GlobalOptions } from './addresses';
import { CALL_TIMEOUT_MS } from './clients';
import { CliError, EXIT_CANNOT_CONNECT } from './errors';
import { printJson, printLine } from './output';
import { channelCredentialsOf } from './security';

const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');

type CheckMethod = (
  request: { service: string },
  metadata: Metadata,
  options: { deadline: number },
  callback: (error: ServiceError | null, response: { status: string }) => void,
) => void;

/**
 * grpc.health.v1 Check of one server: its status name, or "UNREACHABLE: …" / the gRPC code name.
 * Over the same TLS as every other call; health needs no token (docs/security.md), so none is sent.
 */
async function check(address: string, channel: ChannelCredentials): Promise<string> {
  const client = new HealthClient(address, channel);
  try {
    return await new Promise<string>((resolve) => {
      (client['check'] as CheckMethod).call(
        client,
        { service: '' },
        new Metadata(),
        { deadline: Date.now() + CALL_TIMEOUT_MS },
        (error, response) => {
          if (!error) resolve(response.status);
          else if (error.code === status.UNAVAILABLE) resolve(`UNREACHABLE (${error.details})`);
          else resolve(`${status[error.code] ?? error.code}: ${error.details}`);
        },
      );
    });
  } finally {
    client.close();
  }
}

/** One line per server (the log and every known reducer); fails with exit 3 unless all are SERVING. */
export async function healthCommand(options: GlobalOptions): Promise<void> {
  const servers = allServers(options);
  const channel = channelCredentialsOf(options);
  const results = await Promise.all(servers.map(async (server) => ({ ...server, status: await check(server.address, channel) })));
  for (const result of results) {
    if (options.json) printJson(result);
    else printLine(`${result.name.padEnd(12)} ${result.address.padEnd(21)} ${result.status}`);
  }
  const failing = results.filter((result) => result.status !== 'SERVING').map((result) => result.name);
  if (failing.length > 0) throw new CliError(`not serving: ${failing.join(', ')}`, EXIT_CANNOT_CONNECT);
}

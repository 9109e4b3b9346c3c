import { connectivityState, type Client } from '@grpc/grpc-js';
import { createEventLogClient, createReducerClient, type EventLogServiceClient, type ReducerServiceClient } from '@hello-es/contracts';
import { eventLogAddress, type GlobalOptions } from './addresses';
import { toCliError, type UnavailableFrom } from './errors';
import { clientOptionsOf } from './security';

/** Deadline of every unary call: a server that is down is reported within it (waitForReady stays off). */
export const CALL_TIMEOUT_MS = 5_000;

/**
 * Deadline of `append`: an append is answered once durable, and a gateway
 * over JetStream holds it through a leader election (seconds) up to its
 * NATS_APPEND_TIMEOUT_SECONDS (30 s by default), then answers UNAVAILABLE.
 * A shorter deadline made the CLI give up on appends the gateway went on to
 * store. A server that is down still fails at once (no waitForReady).
 */
export const APPEND_TIMEOUT_MS = 35_000;

/**
 * Where a failure just seen on `client` came from: a channel still READY
 * means the server answered (its UNAVAILABLE is its own, e.g. a gateway
 * whose stream has no leader); otherwise the connection failed.
 */
export function unavailableFrom(client: Client): UnavailableFrom {
  return client.getChannel().getConnectivityState(false) === connectivityState.READY ? 'server' : 'connection';
}

/**
 * Runs `run` with a client of the log the options point at (with their TLS
 * and token), closes it, and turns a gRPC failure into a CliError.
 */
export async function withLog<T>(options: GlobalOptions, run: (client: EventLogServiceClient, address: string) => Promise<T>): Promise<T> {
  const address = eventLogAddress(options);
  const client = createEventLogClient(address, clientOptionsOf(options));
  try {
    return await run(client, address);
  } catch (error) {
    throw toCliError(error, address, unavailableFrom(client));
  } finally {
    client.close();
  }
}

/** As {@link withLog}, for the reducer at `address`. */
export async function withReducer<T>(address: string, options: GlobalOptions, run: (client: ReducerServiceClient) => Promise<T>): Promise<T> {
  const client = createReducerClient(address, clientOptionsOf(options));
  try {
    return await run(client);
  } catch (error) {
    throw toCliError(error, address, unavailableFrom(client));
  } finally {
    client.close();
  }
}

import type { ChannelOptions } from '@grpc/grpc-js';
import { clientCredentialsOf, clientInterceptorsOf, type ClientSecurityOptions } from './client-credentials';
import { makeGenericClientConstructor, type ChannelCredentials, type ClientOptions } from '@grpc/grpc-js';
import { encodeAppendRequest } from './append-stream-wire';
import { EventLogServiceService, type EventLogServiceClient } from './generated/eventlog/v1/eventlog.pb';
import { ReducerServiceClient } from './generated/reducer/v1/reducer.pb';
import { defaultClientChannelOptions } from './channel-options';

/**
 * `credentials` (ready ChannelCredentials) or `tls` ({ caFile, certFile, keyFile })
 * and `token` (bearer); plaintext when none is given, as on loopback.
 */
export interface ClientFactoryOptions extends ClientSecurityOptions {
  /** Merged over {@link defaultClientChannelOptions}. */
  readonly channelOptions?: ChannelOptions;
}

function channelOptionsOf(options: ClientFactoryOptions): ChannelOptions {
  return { ...defaultClientChannelOptions, ...options.channelOptions, interceptors: clientInterceptorsOf(options) };
}

/**
 * The generated EventLogService client, except that Append requests are
 * encoded by hand (append-stream-wire.ts, proven equal to the generated
 * encoder by its tests).
 */
const FastEventLogClient = makeGenericClientConstructor(
  { ...EventLogServiceService, append: { ...EventLogServiceService.append, requestSerialize: encodeAppendRequest } },
  'eventlog.v1.EventLogService',
) as unknown as new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>) => EventLogServiceClient;

/**
 * A client for the event log at `address` ("host:port"). Close it with
 * `client.close()` when done.
 */
export function createEventLogClient(
  address: string,
  options: ClientFactoryOptions = {},
): EventLogServiceClient {
  return new FastEventLogClient(
    address,
    clientCredentialsOf(options),
    channelOptionsOf(options),
  );
}

/**
 * A client for a reducer (adder, multiplier, or any other reducer built on
 * the reducer runtime) at `address`. Close it with `client.close()`.
 */
export function createReducerClient(
  address: string,
  options: ClientFactoryOptions = {},
): ReducerServiceClient {
  return new ReducerServiceClient(
    address,
    clientCredentialsOf(options),
    channelOptionsOf(options),
  );
}

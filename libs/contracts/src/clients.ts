import { credentials, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { EventLogServiceClient } from './generated/eventlog/v1/eventlog.pb';
import { ReducerServiceClient } from './generated/reducer/v1/reducer.pb';
import { defaultClientChannelOptions } from './channel-options';

export interface ClientFactoryOptions {
  /** Defaults to plaintext (insecure), as the servers listen without TLS. */
  readonly credentials?: ChannelCredentials;
  /** Merged over {@link defaultClientChannelOptions}. */
  readonly channelOptions?: ChannelOptions;
}

function channelOptionsOf(options: ClientFactoryOptions): ChannelOptions {
  return { ...defaultClientChannelOptions, ...options.channelOptions };
}

/**
 * A client for the event log at `address` ("host:port"). Close it with
 * `client.close()` when done.
 */
export function createEventLogClient(
  address: string,
  options: ClientFactoryOptions = {},
): EventLogServiceClient {
  return new EventLogServiceClient(
    address,
    options.credentials ?? credentials.createInsecure(),
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
    options.credentials ?? credentials.createInsecure(),
    channelOptionsOf(options),
  );
}

import { Metadata, makeGenericClientConstructor, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import {
  clientCredentialsOf,
  clientInterceptorsOf,
  defaultClientChannelOptions,
  EventLogServiceService,
  type ClientFactoryOptions,
  type GetLogInfoResponse,
  type SubscribeRequest,
} from '@hello-es/contracts';
import { decodeSubscribeResponse, type SubscriptionMessage } from './subscribe-decoder';

/** The calls the runtime makes to the event log. */
export interface SubscriptionClient {
  subscribe(request: SubscribeRequest): ClientReadableStream<SubscriptionMessage>;
  /** The log's head now (GetLogInfo), for the lag metric; rejects after `timeoutMs`. */
  logHead(timeoutMs: number): Promise<bigint>;
  close(): void;
}

/**
 * The generated EventLogService definition with Subscribe's responses
 * decoded by the lean {@link decodeSubscribeResponse} instead of the
 * generated decoder; every other method is unchanged.
 */
const fastSubscribeDefinition = {
  ...EventLogServiceService,
  subscribe: {
    ...EventLogServiceService.subscribe,
    responseDeserialize: (bytes: Buffer): SubscriptionMessage => decodeSubscribeResponse(bytes),
  },
};

const FastEventLogClient = makeGenericClientConstructor(fastSubscribeDefinition, 'eventlog.v1.EventLogService');

/**
 * A Subscribe-only client of the event log at `address`, with the lean
 * decoder. `options` as for the contracts' client factories (credentials or
 * tls, token; channel options merge over the defaults).
 */
export function createSubscriptionClient(address: string, options: ClientFactoryOptions = {}): SubscriptionClient {
  const client = new FastEventLogClient(address, clientCredentialsOf(options), {
    ...defaultClientChannelOptions,
    ...options.channelOptions,
    interceptors: clientInterceptorsOf(options),
  });
  return {
    subscribe: (request) =>
      (client['subscribe'] as (request: SubscribeRequest) => ClientReadableStream<SubscriptionMessage>).call(
        client,
        request,
      ),
    logHead: (timeoutMs) =>
      new Promise<bigint>((resolve, reject) => {
        const getLogInfo = client['getLogInfo'] as (
          request: object,
          metadata: Metadata,
          options: { deadline: number },
          callback: (error: ServiceError | null, response?: GetLogInfoResponse) => void,
        ) => void;
        getLogInfo.call(client, {}, new Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) => {
          if (error || !response) reject(error ?? new Error('no GetLogInfo response'));
          else resolve(response.nextOffset);
        });
      }),
    close: () => client.close(),
  };
}

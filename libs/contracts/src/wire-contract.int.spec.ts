/**
 * Proves the wire contract, not just generated code agreeing with itself:
 * a grpc-js server built on the generated definitions round-trips 64-bit
 * extremes, every oneof case and timestamps, and a client built at run time
 * from the .proto files with @grpc/proto-loader (as a user without our
 * generated code would) sees the same answers.
 */
import {
  Server,
  ServerCredentials,
  type Client,
  type ClientReadableStream,
  type ServiceError,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { createProtoLoaderClient } from '@hello-es/test-support';
import {
  callUnary,
  createEventLogClient,
  EventLogServiceService,
  type AppendRequest,
  type AppendStreamRequest,
  type AppendResponse,
  type Event,
  type EventLogServiceClient,
  type EventLogServiceServer,
  type SubscribeRequest,
  type SubscribeResponse,
} from './index';

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const MAX_UINT64 = 2n ** 64n - 1n;
const APPEND_TIME = new Date('2026-11-26T07:08:09.123Z');
const values = [MIN_INT64, MAX_INT64, 0n, -1n, 1n, -300n];

/** A contract-only server: Append echoes facts of the request, Subscribe replays the appended values. */
function echoImplementation(): EventLogServiceServer {
  let stored: bigint[] = [];
  const unimplemented = (_call: unknown, callback: sendUnaryData<never>): void =>
    callback({ code: 12, details: 'not part of this test' });
  return {
    append(call: ServerUnaryCall<AppendRequest, AppendResponse>, callback: sendUnaryData<AppendResponse>) {
      stored = call.request.values;
      callback(null, {
        firstOffset: BigInt(call.request.values.length),
        nextOffset: call.request.expectedNextOffset ?? 0n,
        duplicate: call.request.idempotencyKey !== '',
      });
    },
    subscribe(call: ServerWritableStream<SubscribeRequest, SubscribeResponse>) {
      const from = call.request.fromOffset;
      const events: Event[] = stored.map((value, index) => ({ offset: from + BigInt(index), value, appendTime: APPEND_TIME }));
      call.write({ kind: { $case: 'started', value: { logId: call.request.subscriberName, nextOffset: MAX_UINT64 } } });
      call.write({ kind: { $case: 'events', value: { events } } });
      call.write({ kind: { $case: 'caughtUp', value: { nextOffset: from + BigInt(stored.length) } } });
      call.end();
    },
    appendStream(call) {
      call.on('data', (request: AppendStreamRequest) =>
        call.write({
          requestId: request.requestId,
          result: {
            $case: 'appended',
            value: { firstOffset: BigInt(request.append?.values.length ?? 0), nextOffset: request.append?.expectedNextOffset ?? 0n, duplicate: request.append?.idempotencyKey !== '' },
          },
          results: [],
        }),
      );
      call.on('end', () => call.end());
    },
    read: (call) => call.end(),
    getLogInfo: unimplemented,
    listSubscriptions: unimplemented,
  };
}

function collect<T>(stream: ClientReadableStream<T>): Promise<T[]> {
  return new Promise((resolvePromise, reject) => {
    const messages: T[] = [];
    stream.on('data', (message: T) => messages.push(message));
    stream.on('error', reject);
    stream.on('end', () => resolvePromise(messages));
  });
}

interface LoaderClient extends Client {
  Append(request: object, callback: (error: ServiceError | null, response: Record<string, unknown>) => void): void;
  Subscribe(request: object): ClientReadableStream<Record<string, unknown>>;
}

describe('wire contract of eventlog.v1', () => {
  let server: Server;
  let address: string;
  let client: EventLogServiceClient;
  let loaderClient: LoaderClient;

  beforeAll(async () => {
    server = new Server();
    server.addService(EventLogServiceService, echoImplementation());
    const port = await new Promise<number>((done, fail) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? fail(error) : done(bound))),
    );
    address = `127.0.0.1:${port}`;
    client = createEventLogClient(address);
    loaderClient = createProtoLoaderClient<LoaderClient>('eventlog/v1/eventlog.proto', 'eventlog.v1.EventLogService', address);
  });

  afterAll(async () => {
    client.close();
    loaderClient.close();
    await new Promise<void>((done) => server.tryShutdown(() => done()));
  });

  it('round-trips int64 extremes and uint64 max through Append as bigint', async () => {
    const response = await callUnary(client.append.bind(client), {
      values,
      expectedNextOffset: MAX_UINT64,
      idempotencyKey: 'k',
    });
    expect(response).toEqual({ firstOffset: BigInt(values.length), nextOffset: MAX_UINT64, duplicate: true });
  });

  it('delivers every oneof case with exact offsets, values and timestamps', async () => {
    await callUnary(client.append.bind(client), { values, idempotencyKey: '' });
    const from = MAX_UINT64 - 10n;
    const messages = await collect(client.subscribe({ fromOffset: from, subscriberName: 'log-1' }));
    expect(messages.map((message) => message.kind?.$case)).toEqual(['started', 'events', 'caughtUp']);
    expect(messages[0]?.kind).toEqual({ $case: 'started', value: { logId: 'log-1', nextOffset: MAX_UINT64 } });
    expect(messages[1]?.kind).toEqual({
      $case: 'events',
      value: { events: values.map((value, index) => ({ offset: from + BigInt(index), value, appendTime: APPEND_TIME })) },
    });
    expect(messages[2]?.kind).toEqual({ $case: 'caughtUp', value: { nextOffset: from + BigInt(values.length) } });
  });

  it('gives a proto-loader client (keepCase, longs as strings) the same answers', async () => {
    const response = await new Promise<Record<string, unknown>>((done, fail) =>
      loaderClient.Append(
        { values: values.map(String), expected_next_offset: MAX_UINT64.toString(), idempotency_key: '' },
        (error, reply) => (error ? fail(error) : done(reply)),
      ),
    );
    expect(response).toEqual({ first_offset: String(values.length), next_offset: MAX_UINT64.toString(), duplicate: false });

    const from = 7n;
    const messages = await collect(loaderClient.Subscribe({ from_offset: from.toString(), subscriber_name: 'log-2' }));
    expect(messages.map((message) => message['kind'])).toEqual(['started', 'events', 'caught_up']);
    expect(messages[0]?.['started']).toEqual({ log_id: 'log-2', next_offset: MAX_UINT64.toString() });
    const seconds = Math.floor(APPEND_TIME.getTime() / 1000);
    expect(messages[1]?.['events']).toEqual({
      events: values.map((value, index) => ({
        offset: (from + BigInt(index)).toString(),
        value: value.toString(),
        append_time: { seconds: String(seconds), nanos: (APPEND_TIME.getTime() % 1000) * 1_000_000 },
      })),
    });
    expect(messages[2]?.['caught_up']).toEqual({ next_offset: (from + BigInt(values.length)).toString() });
  });
});

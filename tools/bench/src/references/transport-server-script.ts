// The transport limit's server, run in its own process: a bare grpc-js
// server for the EventLogService methods with no storage and no logic. The
// replies are encoded before it listens and sent as bytes (identity
// serializers; requests are not even decoded), so only grpc-js and HTTP/2
// are measured. Append answers at once; AppendStream answers each request at
// once with a pre-encoded AppendStreamResponse carrying the request's own
// request_id (its bytes copied from the request); Subscribe streams `events`
// events in EventBatch messages of 4,096 (the eventlog's catch-up batch),
// honouring backpressure, then waits for the client to cancel.
//
//   tsx tools/bench/src/references/transport-server-script.ts EVENTS
// Prints {"port": N} once listening.
import { Server, ServerCredentials, type ServerDuplexStream, type ServerWritableStream, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { AppendResponse, AppendStreamResponse, EventLogServiceService, MAX_MESSAGE_BYTES, SubscribeResponse, type Event } from '@hello-es/contracts';

const BATCH = 4096;
const total = Number(process.argv[2] ?? '1000000');

/** The same EventBatch messages the eventlog sends while catching up: real offsets, -3..3 values, one append time. */
function encodedBatches(): Buffer[] {
  const appendTime = new Date();
  const batches: Buffer[] = [];
  for (let offset = 0; offset < total; offset += BATCH) {
    const count = Math.min(BATCH, total - offset);
    const events: Event[] = Array.from({ length: count }, (_, i) => ({
      offset: BigInt(offset + i),
      value: BigInt(((offset + i) % 7) - 3),
      appendTime,
    }));
    batches.push(Buffer.from(SubscribeResponse.encode({ kind: { $case: 'events', value: { events } } }).finish()));
  }
  return batches;
}

const batches = encodedBatches();
const started = Buffer.from(SubscribeResponse.encode({ kind: { $case: 'started', value: { logId: 'transport-limit', nextOffset: BigInt(total) } } }).finish());
const caughtUp = Buffer.from(SubscribeResponse.encode({ kind: { $case: 'caughtUp', value: { nextOffset: BigInt(total) } } }).finish());
const appendReply = Buffer.from(AppendResponse.encode({ firstOffset: 0n, nextOffset: 1n, duplicate: false }).finish());
// request_id 0 is omitted on the wire, so this is just the `appended` field.
const appendedField = Buffer.from(
  AppendStreamResponse.encode({ requestId: 0n, result: { $case: 'appended', value: { firstOffset: 0n, nextOffset: 1n, duplicate: false } }, results: [] }).finish(),
);

/**
 * The request_id field of an encoded AppendStreamRequest (tag 0x08 and its
 * varint, written first by the generated encoder): the same bytes encode
 * field 1 of the response, so the reply is these bytes + `appendedField`.
 */
function requestIdField(request: Buffer): Buffer {
  if (request[0] !== 0x08) return Buffer.alloc(0);
  let end = 1;
  while (end < request.length && ((request[end] as number) & 0x80) !== 0) end++;
  return request.subarray(0, end + 1);
}

function appendStream(call: ServerDuplexStream<Buffer, Buffer>): void {
  call.on('data', (request: Buffer) => {
    call.write(Buffer.concat([requestIdField(request), appendedField]));
  });
  call.on('end', () => call.end());
}

async function subscribe(call: ServerWritableStream<Buffer, Buffer>): Promise<void> {
  let cancelled = false;
  call.on('cancelled', () => (cancelled = true));
  call.write(started);
  for (let i = 0; i < batches.length && !cancelled; i++) {
    if (!call.write(batches[i] as Buffer)) await new Promise<void>((resolve) => call.once('drain', () => resolve()));
  }
  if (!cancelled) call.write(caughtUp);
}

const bytes = (buffer: Buffer): Buffer => buffer;
const definition: ServiceDefinition = {
  append: { ...EventLogServiceService.append, requestDeserialize: bytes, responseSerialize: bytes },
  subscribe: { ...EventLogServiceService.subscribe, requestDeserialize: bytes, responseSerialize: bytes },
  appendStream: { ...EventLogServiceService.appendStream, requestDeserialize: bytes, responseSerialize: bytes },
};
const implementation: UntypedServiceImplementation = {
  append: (_call: unknown, callback: (error: null, response: Buffer) => void) => callback(null, appendReply),
  appendStream,
  subscribe: (call: ServerWritableStream<Buffer, Buffer>) => {
    subscribe(call).catch((error: unknown) => console.error(error));
  },
};

const server = new Server({
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
});
server.addService(definition, implementation);
server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    console.error(error.message);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));

import { Client, credentials, type ClientReadableStream } from '@grpc/grpc-js';
import { defaultClientChannelOptions, SubscribeRequest } from '@hello-es/contracts';

/**
 * Counts the events of one encoded SubscribeResponse without decoding them
 * (field 2 = EventBatch of length-delimited Events, each under 128 bytes).
 * Returns -1 for caught_up and 0 for started.
 */
export function countEncodedEvents(message: Buffer): number {
  if (message[0] === 0x1a) return -1;
  if (message[0] !== 0x12) return 0;
  let position = 1;
  while (((message[position] as number) & 0x80) !== 0) position += 1;
  position += 1;
  let events = 0;
  while (position < message.length) {
    position += 2 + (message[position + 1] as number);
    events += 1;
  }
  return events;
}

/** A Subscribe call whose messages arrive as raw bytes: a cheap client for volume tests. */
export function rawSubscribe(address: string, request: SubscribeRequest): { client: Client; stream: ClientReadableStream<Buffer> } {
  const client = new Client(address, credentials.createInsecure(), defaultClientChannelOptions);
  const stream = client.makeServerStreamRequest(
    '/eventlog.v1.EventLogService/Subscribe',
    (value: SubscribeRequest) => Buffer.from(SubscribeRequest.encode(value).finish()),
    (bytes: Buffer) => bytes,
    request,
  );
  return { client, stream };
}

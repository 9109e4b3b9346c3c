import type { ClientReadableStream } from '@grpc/grpc-js';
import type { EventLogServiceClient, SubscribeResponse } from '@hello-es/contracts';

/** One open Subscribe call and what it received so far. */
export interface OpenSubscription {
  readonly name: string;
  readonly stream: ClientReadableStream<SubscribeResponse>;
  /** The offset after the last event received. */
  nextOffset(): bigint;
  messages(): number;
  /** Set when the stream ended with an error other than our own cancel. */
  error(): string | undefined;
  cancel(): void;
}

/**
 * Subscribes and counts what arrives; checks that offsets continue exactly
 * where the previous batch ended (a gap or repeat is recorded as an error).
 * With `paused` the stream is never read: grpc-js stops acknowledging data,
 * so the server's writes hit HTTP/2 flow control.
 */
export function subscribe(client: EventLogServiceClient, name: string, fromOffset: bigint, paused = false): OpenSubscription {
  const stream = client.subscribe({ fromOffset, subscriberName: name });
  let next = fromOffset;
  let count = 0;
  let failure: string | undefined;
  let cancelled = false;
  stream.on('data', (message: SubscribeResponse) => {
    count += 1;
    if (message.kind?.$case !== 'events') return;
    for (const event of message.kind.value.events) {
      if (event.offset !== next) failure ??= `${name}: offset ${event.offset} arrived where ${next} was due`;
      next = event.offset + 1n;
    }
  });
  stream.on('error', (error: Error) => {
    if (!cancelled) failure ??= `${name}: ${error.message}`;
  });
  if (paused) stream.pause();
  return {
    name,
    stream,
    nextOffset: () => next,
    messages: () => count,
    error: () => failure,
    cancel: () => {
      cancelled = true;
      stream.cancel();
    },
  };
}

/**
 * Reads one message per `intervalMs` from a paused subscription: resume,
 * take a message, pause again. Returns a stop function.
 */
export function readSlowly(subscription: OpenSubscription, intervalMs: number): () => void {
  const { stream } = subscription;
  stream.pause();
  const onData = (): void => {
    stream.pause();
  };
  stream.on('data', onData);
  const timer = setInterval(() => stream.resume(), intervalMs);
  return () => {
    clearInterval(timer);
    stream.off('data', onData);
  };
}

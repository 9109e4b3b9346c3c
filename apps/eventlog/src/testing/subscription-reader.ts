import type { ClientReadableStream } from '@grpc/grpc-js';
import type { EventLogServiceClient, SubscribeResponse } from '@hello-es/contracts';
import { waitFor } from '@hello-es/test-support';

export interface ReceivedEvent {
  readonly offset: bigint;
  readonly value: bigint;
}

/** Everything one Subscribe stream delivered, for assertions. */
export class SubscriptionReader {
  readonly events: ReceivedEvent[] = [];
  readonly caughtUp: bigint[] = [];
  started: { logId: string; nextOffset: bigint } | undefined;
  /** The stream's error, once it ended with one. */
  error: (Error & { code?: number }) | undefined;
  ended = false;
  readonly stream: ClientReadableStream<SubscribeResponse>;
  /** How the events came: 'events' (EventBatch) and/or 'values' (EventValues). */
  readonly eventForms = new Set<'events' | 'values'>();

  constructor(client: EventLogServiceClient, fromOffset: bigint, subscriberName = '', fromHead?: boolean, valuesOnly?: boolean) {
    this.stream = client.subscribe({
      fromOffset,
      subscriberName,
      ...(fromHead === undefined ? {} : { fromHead }),
      ...(valuesOnly === undefined ? {} : { valuesOnly }),
    });
    this.stream.on('data', (message: SubscribeResponse) => this.onMessage(message));
    this.stream.on('error', (error: Error) => {
      this.error = error;
      this.ended = true;
    });
    this.stream.on('end', () => {
      this.ended = true;
    });
  }

  private onMessage(message: SubscribeResponse): void {
    const kind = message.kind;
    if (!kind) return;
    switch (kind.$case) {
      case 'started':
        this.started = { logId: kind.value.logId, nextOffset: kind.value.nextOffset };
        return;
      case 'caughtUp':
        this.caughtUp.push(kind.value.nextOffset);
        return;
      case 'events':
        this.eventForms.add('events');
        for (const event of kind.value.events) this.events.push({ offset: event.offset, value: event.value });
        return;
      case 'values':
        this.eventForms.add('values');
        kind.value.values.forEach((value, index) => this.events.push({ offset: kind.value.firstOffset + BigInt(index), value }));
        return;
    }
  }

  /** Waits until `count` events arrived (default deadline 30 s). */
  async waitForEvents(count: number, timeoutMs = 30_000): Promise<void> {
    await waitFor(() => this.events.length >= count || this.ended, { description: `${count} events`, timeoutMs });
    if (this.events.length < count) throw new Error(`stream ended after ${this.events.length} events: ${this.error?.message}`);
  }

  async waitForEnd(timeoutMs = 30_000): Promise<void> {
    await waitFor(() => this.ended, { description: 'the stream to end', timeoutMs });
  }

  /** Cancels the call and waits for it to end. */
  async cancel(): Promise<void> {
    if (this.ended) return;
    this.stream.cancel();
    await this.waitForEnd();
  }
}

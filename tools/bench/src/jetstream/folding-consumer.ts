import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';
import { deferred, type Deferred } from '@hello-es/test-support';

/** Messages carry big-endian int64 values, 8 bytes each (one value, or a batch of them). */
export function encodeValues(values: readonly bigint[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setBigInt64(i * 8, value));
  return bytes;
}

/**
 * JetStream's stand-in for a reducer: an ordered consumer from the start of
 * the stream folding sum and product exactly, recording when (performance.now())
 * each stream sequence arrived.
 */
export class FoldingConsumer {
  sum = 0n;
  product = 1n;
  count = 0;
  lastSeq = 0;
  private lastArrival = Number.NaN;
  private readonly arrivals: Float64Array;
  private messages: ConsumerMessages | undefined;
  private waiters: { seq: number; done: Deferred<number> }[] = [];
  private failure: unknown;

  constructor(capacity: number) {
    this.arrivals = new Float64Array(capacity + 1);
  }

  async start(js: JetStreamClient, stream: string): Promise<void> {
    const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    this.messages = await consumer.consume({ max_messages: 4096 });
    void this.loop(this.messages);
  }

  private async loop(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const message of messages) {
        const now = performance.now();
        const data = message.data;
        const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
        for (let at = 0; at < data.byteLength; at += 8) {
          const value = view.getBigInt64(at);
          this.sum += value;
          this.product *= value;
        }
        this.count += data.byteLength / 8;
        this.lastSeq = message.seq;
        this.lastArrival = now;
        if (message.seq < this.arrivals.length) this.arrivals[message.seq] = now;
        if (this.waiters.length > 0) this.wake(message.seq, now);
      }
    } catch (error: unknown) {
      this.failure = error;
      for (const waiter of this.waiters) waiter.done.reject(error);
      this.waiters = [];
    }
  }

  private wake(seq: number, now: number): void {
    const ready = this.waiters.filter((w) => w.seq <= seq);
    this.waiters = this.waiters.filter((w) => w.seq > seq);
    for (const waiter of ready) waiter.done.resolve(now);
  }

  /** When the message with stream sequence `seq` arrived. */
  arrivedAt(seq: number): number {
    return this.arrivals[seq] ?? Number.NaN;
  }

  /** Resolves with the arrival time once every message up to `seq` has arrived. */
  waitFor(seq: number): Promise<number> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.lastSeq >= seq) return Promise.resolve(seq < this.arrivals.length ? this.arrivedAt(seq) : this.lastArrival);
    const done = deferred<number>();
    this.waiters.push({ seq, done });
    return done.promise;
  }

  async stop(): Promise<void> {
    await this.messages?.close();
  }
}

import { JetStreamApiError, type ApiError, type PubAck } from '@nats-io/jetstream';
import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** How often deadlines are checked: a publish times out up to this much after its timeout. */
const SWEEP_MS = 25;

export interface PublishOptions {
  /** Nats-Msg-Id: the stream's dedupe key. */
  readonly msgID: string;
  /** Nats-Expected-Last-Sequence and, if given, Nats-Expected-Last-Msg-Id. */
  readonly expect: { readonly lastSequence: number; readonly lastMsgID?: string };
  /** The message's own headers; the JetStream headers are added to them. */
  readonly headers: MsgHdrs;
  /** Ms until the publish fails with PublishTimeout. */
  readonly timeout: number;
}

/** No ack within the timeout: the message may or may not be stored. */
export class PublishTimeout extends Error {
  override readonly name = 'PublishTimeout';
}

/** No JetStream stream listens on the subject right now (a 503 status: no leader, stream offline). */
export class NoResponders extends Error {
  override readonly name = 'NoResponders';
}

/** The publisher (or its connection) is closed: nothing more is sent. */
export class PublisherClosed extends Error {
  override readonly name = 'PublisherClosed';
}

interface Pending {
  readonly resolve: (ack: PubAck) => void;
  readonly reject: (error: Error) => void;
  readonly deadline: number;
}

const decoder = new TextDecoder();

/**
 * JetStream publish-with-ack over one reply subscription, for the append
 * pipeline's many publishes in flight. `JetStreamClient.publish` makes each
 * publish a request (a reply token, a timer, a deferred, and an error
 * object made on every successful reply for its stack): about a quarter
 * of a gateway's CPU at 64 in flight (docs/jetstream.md, "Performance").
 * Here a publish is one PUB with a reply subject under this publisher's
 * inbox, one map entry, and one promise; one interval sweeps deadlines.
 * The wire is what `js.publish` sends; the acks and errors mean the same:
 * an API error is a JetStreamApiError, a 503 is NoResponders, no reply in
 * time is PublishTimeout (after a reconnect, replies in flight are lost
 * and time out: the pipeline's message ids make republishing safe).
 */
export class JetStreamPublisher {
  private readonly inbox: string;
  private readonly subscription: Subscription;
  private readonly pending = new Map<string, Pending>();
  private readonly sweeper: NodeJS.Timeout;
  private nextToken = 0;
  private closed = false;

  constructor(private readonly nc: NatsConnection) {
    this.inbox = `${createInbox()}.`;
    this.subscription = nc.subscribe(`${this.inbox}*`, { callback: (error, msg) => this.answer(error, msg) });
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
    void nc.closed().then(() => this.close());
  }

  /** Publishes a message and resolves with the stream's ack; rejects as the class comment says. */
  publish(subject: string, payload: Uint8Array, options: PublishOptions): Promise<PubAck> {
    if (this.closed) return Promise.reject(new PublisherClosed('the NATS connection is closed'));
    const token = (this.nextToken++).toString(36);
    const { headers, expect } = options;
    headers.set('Nats-Msg-Id', options.msgID);
    headers.set('Nats-Expected-Last-Sequence', `${expect.lastSequence}`);
    if (expect.lastMsgID !== undefined) headers.set('Nats-Expected-Last-Msg-Id', expect.lastMsgID);
    return new Promise<PubAck>((resolve, reject) => {
      try {
        this.nc.publish(subject, payload, { reply: this.inbox + token, headers });
      } catch (error: unknown) {
        // Closed or draining connection, payload over the server's max_payload.
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      this.pending.set(token, { resolve, reject, deadline: Date.now() + options.timeout });
    });
  }

  /** Publishes awaiting their ack. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Stops listening; publishes in flight fail with PublisherClosed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    if (!this.subscription.isClosed()) this.subscription.unsubscribe();
    this.failAll(new PublisherClosed('the NATS connection is closed'));
  }

  private answer(error: Error | null, msg: Msg): void {
    if (error) {
      // The reply subscription itself failed (a permissions violation on the inbox): nothing can be acked.
      this.failAll(error);
      return;
    }
    const token = msg.subject.slice(this.inbox.length);
    const pending = this.pending.get(token);
    // Too late (swept as timed out) or a stray reply.
    if (!pending) return;
    this.pending.delete(token);
    if (msg.data.length === 0 && msg.headers?.code === 503) {
      pending.reject(new NoResponders('no JetStream stream answered the publish (no leader?)'));
      return;
    }
    try {
      const reply = JSON.parse(decoder.decode(msg.data)) as Partial<PubAck> & { error?: ApiError };
      if (reply.error) pending.reject(new JetStreamApiError(reply.error));
      else if (typeof reply.stream !== 'string' || reply.stream === '' || typeof reply.seq !== 'number') {
        pending.reject(new Error('invalid ack response'));
      } else pending.resolve({ stream: reply.stream, seq: reply.seq, duplicate: reply.duplicate === true, ...(reply.domain ? { domain: reply.domain } : {}) });
    } catch {
      pending.reject(new Error('invalid ack response'));
    }
  }

  private sweep(): void {
    if (this.pending.size === 0) return;
    const now = Date.now();
    for (const [token, pending] of this.pending) {
      if (pending.deadline > now) continue;
      this.pending.delete(token);
      pending.reject(new PublishTimeout('no ack in time'));
    }
  }

  private failAll(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of pending) reject(error);
  }
}

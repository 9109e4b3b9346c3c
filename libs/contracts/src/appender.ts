import { Metadata, status, type ClientDuplexStream, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { decodeAppendStreamResponse, type AppendOutcome, type AppendStreamAnswer } from './append-stream-response-wire';
import { APPEND_BATCHES_HEADER, encodeAppendBatch, encodeAppendStreamRequest } from './append-stream-wire';
import { MAX_MESSAGE_BYTES } from './channel-options';
import { coalesceWrites } from './coalesced-writes';
import { EventLogServiceService, type AppendResponse, type EventLogServiceClient } from './generated/eventlog/v1/eventlog.pb';

/** Unanswered appends on the stream by default: the event log's default EVENTLOG_APPEND_STREAM_WINDOW. */
export const DEFAULT_APPENDER_MAX_IN_FLIGHT = 1_024;
/** Appends that may wait for a free slot by default; one more is refused with RESOURCE_EXHAUSTED. */
export const DEFAULT_APPENDER_MAX_QUEUED = 16_384;
/** Appends sent in one AppendStream message at most by default (the server takes up to 1,024). */
export const DEFAULT_APPENDER_MAX_BATCH = 256;
/** A batch grows no larger than this many bytes; a larger single append still goes alone. */
const BATCH_BYTES = 65_536;

export interface AppenderOptions {
  /** Appends sent and not yet answered, at most (default 1,024, the server's default window). */
  readonly maxInFlight?: number;
  /** Appends waiting for a slot (or for the stream to come back), at most (default 16,384). */
  readonly maxQueued?: number;
  /**
   * Appends sent together in one message, at most (default 256, up to 1,024;
   * 1: one message per append). Appends made during one event-loop turn go
   * out together, only to a server that says it takes batches.
   */
  readonly maxBatch?: number;
  /** Sent with the stream (e.g. an authorization header, if the client does not add one). */
  readonly metadata?: Metadata;
  /** First reconnect delay (default 100 ms); doubled per failed attempt up to `maxReconnectDelayMs` (default 5 s), with jitter. */
  readonly reconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
  /** Failed attempts in a row after which waiting appends fail with UNAVAILABLE (default 8). */
  readonly maxReconnectAttempts?: number;
  /** How long one attempt waits for the connection (default 5 s). */
  readonly connectTimeoutMs?: number;
}

export interface AppendCallOptions {
  /** Deduplicates retries (the event log's dedupe window); reuse it to retry an append whose outcome is unknown. */
  readonly idempotencyKey?: string;
  /** Append only if the head equals this offset (FAILED_PRECONDITION otherwise). */
  readonly expectedNextOffset?: bigint;
}

/** Appends multiplexed over one AppendStream. */
export interface Appender {
  /**
   * Appends `values` atomically; resolves once durable, with Append's answer.
   * Rejects with an {@link AppenderError}: the append's own status
   * (FAILED_PRECONDITION, INVALID_ARGUMENT, ...); RESOURCE_EXHAUSTED when
   * `maxQueued` appends are already waiting; UNAVAILABLE with
   * `outcomeUnknown: true` when the stream broke while it was in flight
   * (retry with the same idempotency key); UNAVAILABLE with `outcomeUnknown:
   * false` when it was never sent because the event log stayed unreachable;
   * CANCELLED after `close()`.
   */
  append(values: readonly bigint[], options?: AppendCallOptions): Promise<AppendResponse>;
  /** Refuses new appends, waits until every accepted one is answered, then ends the stream. Does not close the client. */
  close(): Promise<void>;
  /** Appends sent and not yet answered. */
  readonly inFlight: number;
  /** Appends waiting to be sent. */
  readonly queued: number;
}

/** How an append through the appender failed: a grpc-js ServiceError plus whether it may have been stored. */
export class AppenderError extends Error implements ServiceError {
  override readonly name = 'AppenderError';
  readonly metadata = new Metadata();
  constructor(
    readonly code: status,
    readonly details: string,
    /** True: the stream broke while this append was in flight; it may or may not be stored. */
    readonly outcomeUnknown: boolean,
    options?: { cause?: unknown },
  ) {
    super(`${code} ${status[code]}: ${details}`, options);
  }
}

export function isAppenderError(error: unknown): error is AppenderError {
  return error instanceof AppenderError;
}

/** True for an append whose stream broke while it was in flight: retry it with the same idempotency key. */
export function isOutcomeUnknown(error: unknown): error is AppenderError & { readonly outcomeUnknown: true } {
  return error instanceof AppenderError && error.outcomeUnknown;
}

/**
 * An {@link Appender} over `client`: many concurrent callers share one
 * AppendStream, so each append costs a message, not a call. Opened on the
 * first append; after a break it reconnects (with backoff and jitter) for
 * the appends that wait. Close it before closing the client.
 *
 * ```ts
 * const appender = createAppender(createEventLogClient(address));
 * const { firstOffset } = await appender.append([5n], { idempotencyKey: 'order-17' });
 * await appender.close();
 * ```
 */
export function createAppender(client: EventLogServiceClient, options: AppenderOptions = {}): Appender {
  return new StreamAppender(client, options);
}

interface Pending {
  /** The request id in `bytes`, its single-append encoding. */
  readonly requestId: number;
  readonly bytes: Buffer;
  readonly resolve: (response: AppendResponse) => void;
  readonly reject: (error: AppenderError) => void;
}

/** What one request on the stream carries: one append, or a batch. */
type Sent = Pending | { readonly batch: readonly Pending[] };

type Call = ClientDuplexStream<Buffer, AppendStreamAnswer>;

/** Statuses that refuse the stream before any append runs (so no outcome is unknown). */
const REFUSALS: readonly status[] = [status.UNAUTHENTICATED, status.PERMISSION_DENIED, status.UNIMPLEMENTED, status.RESOURCE_EXHAUSTED];

class StreamAppender implements Appender {
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  private readonly maxBatch: number;
  /** Requests sent and not yet answered, by request id. */
  private readonly pending = new Map<number, Sent>();
  /** Appends in flight: sent, or in the outbox to be sent this turn. */
  private inFlightCount = 0;
  /** Appends taken from `waiting` this turn, sent together once the turn ends. */
  private outbox: Pending[] = [];
  private flushScheduled = false;
  /** The server of the current stream takes batches (its response headers said so). */
  private batching = false;
  /** FIFO of appends not yet sent; `waitingFront` is its first live index. */
  private readonly waiting: (Pending | undefined)[] = [];
  private waitingFront = 0;
  private call: Call | undefined;
  private connecting = false;
  private answeredOnStream = false;
  private failedAttempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private closed = false;
  /** The stream was half-closed by close(). */
  private ending = false;
  private closeWaiters: (() => void)[] = [];

  constructor(
    private readonly client: EventLogServiceClient,
    private readonly options: AppenderOptions,
  ) {
    this.maxInFlight = positive(options.maxInFlight ?? DEFAULT_APPENDER_MAX_IN_FLIGHT, 'maxInFlight');
    this.maxQueued = positive(options.maxQueued ?? DEFAULT_APPENDER_MAX_QUEUED, 'maxQueued');
    this.maxBatch = Math.min(1_024, positive(options.maxBatch ?? DEFAULT_APPENDER_MAX_BATCH, 'maxBatch'));
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  get queued(): number {
    return this.waiting.length - this.waitingFront;
  }

  append(values: readonly bigint[], options: AppendCallOptions = {}): Promise<AppendResponse> {
    if (this.closed) return Promise.reject(new AppenderError(status.CANCELLED, 'the appender is closed', false));
    const sendNow = this.call !== undefined && this.inFlightCount < this.maxInFlight && this.queued === 0;
    if (!sendNow && this.queued >= this.maxQueued) {
      return Promise.reject(
        new AppenderError(
          status.RESOURCE_EXHAUSTED,
          `appender queue full: ${this.maxQueued} appends already wait behind ${this.inFlightCount} in flight (maxQueued)`,
          false,
        ),
      );
    }
    const id = this.nextId++;
    let bytes: Buffer;
    try {
      bytes = encodeAppendStreamRequest(id, values, options.expectedNextOffset, options.idempotencyKey ?? '');
    } catch (error: unknown) {
      return Promise.reject(new AppenderError(status.INVALID_ARGUMENT, error instanceof Error ? error.message : String(error), false, { cause: error }));
    }
    // grpc-js would end the whole stream on an oversized message, taking every append in flight with it.
    if (bytes.length > MAX_MESSAGE_BYTES) {
      return Promise.reject(
        new AppenderError(status.RESOURCE_EXHAUSTED, `append of ${bytes.length} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte message limit`, false),
      );
    }
    return new Promise<AppendResponse>((resolve, reject) => {
      const entry: Pending = { requestId: id, bytes, resolve, reject };
      if (sendNow) {
        this.send(entry);
      } else {
        this.waiting.push(entry);
        if (this.call === undefined && !this.connecting && this.reconnectTimer === undefined) this.connect();
      }
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return new Promise((resolve) => {
      this.closeWaiters.push(resolve);
      this.maybeFinishClose();
    });
  }

  private send(entry: Pending): void {
    this.inFlightCount += 1;
    if (!this.batching || this.maxBatch === 1) {
      this.pending.set(entry.requestId, entry);
      (this.call as Call).write(entry.bytes);
      return;
    }
    this.outbox.push(entry);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After the turn: every append made meanwhile (say, by the callbacks of a batch just answered) joins.
      setImmediate(() => this.flushOutbox());
    }
  }

  /** Sends the outbox in batches of at most maxBatch appends and BATCH_BYTES bytes; one append alone goes as it is. */
  private flushOutbox(): void {
    this.flushScheduled = false;
    const call = this.call;
    const outbox = this.outbox;
    this.outbox = [];
    if (call === undefined) return;
    let start = 0;
    while (start < outbox.length) {
      let end = start + 1;
      let bytes = (outbox[start] as Pending).bytes.length;
      while (end < outbox.length && end - start < this.maxBatch && bytes + (outbox[end] as Pending).bytes.length <= BATCH_BYTES) {
        bytes += (outbox[end] as Pending).bytes.length;
        end += 1;
      }
      if (end - start === 1) {
        const entry = outbox[start] as Pending;
        this.pending.set(entry.requestId, entry);
        call.write(entry.bytes);
      } else {
        const batch = outbox.slice(start, end);
        const id = this.nextId++;
        this.pending.set(id, { batch });
        call.write(encodeAppendBatch(id, batch));
      }
      start = end;
    }
  }

  private pump(): void {
    while (this.call !== undefined && this.inFlightCount < this.maxInFlight && this.waitingFront < this.waiting.length) {
      const entry = this.waiting[this.waitingFront] as Pending;
      this.waiting[this.waitingFront] = undefined;
      this.waitingFront += 1;
      this.send(entry);
    }
    if (this.waitingFront === this.waiting.length) {
      this.waiting.length = 0;
      this.waitingFront = 0;
    } else if (this.waitingFront >= 1_024 && this.waitingFront * 2 >= this.waiting.length) {
      this.waiting.splice(0, this.waitingFront);
      this.waitingFront = 0;
    }
  }

  /** Waits for the connection (bounded), then opens the stream and sends what waits. */
  private connect(): void {
    this.reconnectTimer = undefined;
    this.connecting = true;
    try {
      this.client.waitForReady(Date.now() + (this.options.connectTimeoutMs ?? 5_000), (error) => {
        this.connecting = false;
        if (!error) {
          this.openStream();
          return;
        }
        this.failedAttempts += 1;
        if (this.queued > 0) this.retryLater();
        this.maybeFinishClose();
      });
    } catch (error: unknown) {
      this.connecting = false;
      this.clientUnusable(error);
    }
  }

  /** The client was closed under the appender: nothing can be sent any more. */
  private clientUnusable(error: unknown): void {
    this.failWaiting(
      new AppenderError(status.UNAVAILABLE, `not sent: the client cannot start a call (${error instanceof Error ? error.message : String(error)})`, false, { cause: error }),
    );
    this.maybeFinishClose();
  }

  private openStream(): void {
    let call: Call;
    try {
      call = this.client.makeBidiStreamRequest(
        EventLogServiceService.appendStream.path,
        (bytes: Buffer) => bytes,
        decodeAppendStreamResponse,
        this.options.metadata ?? new Metadata(),
        {},
      );
    } catch (error: unknown) {
      this.clientUnusable(error);
      return;
    }
    coalesceWrites(call);
    this.call = call;
    this.answeredOnStream = false;
    this.batching = false;
    call.on('metadata', (headers: Metadata) => {
      if (this.call === call) this.batching = headers.get(APPEND_BATCHES_HEADER)[0] === '1';
    });
    call.on('data', (response: AppendStreamAnswer) => this.answer(response));
    // 'status' comes for every end; 'error' repeats it for non-OK and must be listened to.
    call.on('error', () => undefined);
    call.on('status', (outcome: StatusObject) => this.streamEnded(call, outcome));
    this.pump();
    this.maybeFinishClose();
  }

  private answer(response: AppendStreamAnswer): void {
    const sent = this.pending.get(response.requestId);
    if (sent === undefined) return;
    this.pending.delete(response.requestId);
    this.answeredOnStream = true;
    this.failedAttempts = 0;
    if ('batch' in sent) {
      this.inFlightCount -= sent.batch.length;
      if (response.results.length === 0 && response.$case === 'error') {
        // The batch was refused as a whole: none of its appends ran.
        for (const entry of sent.batch) entry.reject(new AppenderError(response.code, response.message, false));
      } else {
        sent.batch.forEach((entry, index) => settle(entry, response.results[index]));
      }
    } else {
      this.inFlightCount -= 1;
      settle(sent, response);
    }
    if (this.queued > 0) this.pump();
    else if (this.closed) this.maybeFinishClose();
  }

  private streamEnded(call: Call, outcome: StatusObject): void {
    if (this.call !== call) return;
    this.call = undefined;
    this.ending = false;
    const refused = !this.answeredOnStream && REFUSALS.includes(outcome.code);
    const lost = [...this.pending.values()].flatMap((sent) => ('batch' in sent ? sent.batch : [sent]));
    this.pending.clear();
    // Never written: definitely not stored, so they wait for the next stream, first in line.
    const unsent = this.outbox;
    this.outbox = [];
    this.waiting.splice(this.waitingFront, 0, ...unsent);
    this.inFlightCount = 0;
    for (const entry of lost) {
      entry.reject(
        refused
          ? new AppenderError(outcome.code, outcome.details, false)
          : new AppenderError(
              status.UNAVAILABLE,
              `the append stream broke (${status[outcome.code]}: ${outcome.details}); this append may or may not be stored: retry it with the same idempotency key`,
              true,
            ),
      );
    }
    if (refused) {
      // The same refusal would meet the waiting appends: fail them now, definitely not stored.
      this.failWaiting(new AppenderError(outcome.code, outcome.details, false));
    } else if (!this.answeredOnStream && outcome.code !== status.OK) {
      this.failedAttempts += 1;
    }
    if (this.queued > 0) this.retryLater();
    this.maybeFinishClose();
  }

  /** Schedules the next attempt with exponential backoff and jitter; past the bound, fails what waits. */
  private retryLater(): void {
    if (this.failedAttempts >= (this.options.maxReconnectAttempts ?? 8)) {
      this.failedAttempts = 0;
      this.failWaiting(new AppenderError(status.UNAVAILABLE, 'not sent: the event log stayed unreachable (maxReconnectAttempts)', false));
      this.maybeFinishClose();
      return;
    }
    if (this.queued === 0 || this.reconnectTimer !== undefined) return;
    const base = this.options.reconnectDelayMs ?? 100;
    const ceiling = this.options.maxReconnectDelayMs ?? 5_000;
    const delay = Math.min(ceiling, base * 2 ** this.failedAttempts) * (0.5 + Math.random() / 2);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private failWaiting(error: AppenderError): void {
    for (let index = this.waitingFront; index < this.waiting.length; index += 1) this.waiting[index]?.reject(error);
    this.waiting.length = 0;
    this.waitingFront = 0;
  }

  private maybeFinishClose(): void {
    if (!this.closed || this.inFlightCount > 0 || this.queued > 0) return;
    if (this.call !== undefined) {
      // streamEnded comes back here once the server has ended the stream.
      if (!this.ending) {
        this.ending = true;
        this.call.end();
      }
      return;
    }
    if (this.connecting) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.resolveClose();
  }

  private resolveClose(): void {
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Settles one append with its outcome; a missing outcome means the server broke the protocol. */
function settle(entry: Pending, outcome: AppendOutcome | undefined): void {
  if (outcome?.$case === 'appended') entry.resolve(outcome.appended);
  else if (outcome?.$case === 'error') entry.reject(new AppenderError(outcome.code, outcome.message, false));
  else if (outcome === undefined) entry.reject(new AppenderError(status.INTERNAL, 'the event log answered a batch without a result for this append; it may or may not be stored', true));
  else entry.reject(new AppenderError(status.INTERNAL, 'the event log answered with neither appended nor error', false));
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1, got ${value}`);
  return value;
}

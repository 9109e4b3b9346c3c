import { Metadata, status, type ServerDuplexStream } from '@grpc/grpc-js';
import { APPEND_BATCHES_HEADER, coalesceWrites } from '@hello-es/contracts';
import { bidiStreamingHandler, GrpcStatusError, MalformedRequest, statusFromError, type BidiCall } from '@hello-es/grpc-server';
import type { AppendCommand, AppendResult } from '../store/log-store';
import { encodeAppendedResponse, encodeBatchResponse, encodeErrorResponse, type DecodedAppendStreamRequest, type DecodedStreamAppend } from './append-stream-codec';
import type { HandlerDeps } from './handler-deps';
import { validateAppendRequest } from './validation';

/**
 * Values one stream may hold in unanswered appends before it stops reading
 * (2 MiB of value columns). With the window it bounds a stream's memory:
 * at most `window` unanswered appends and at most this many values plus one
 * largest append (the one that crossed the line) — see docs/eventlog.md.
 */
export const APPEND_STREAM_VALUE_BUDGET = 262_144;

type Request = DecodedAppendStreamRequest | MalformedRequest;

/**
 * AppendStream: each request is one append, or a batch of them, each
 * through the same validation and store call as Append, so it shares group
 * commits with every other stream and unary call and is answered only once
 * durable. A batch is answered by one response once all its appends are
 * settled. Responses leave in request order: a FIFO of unanswered requests
 * is written from its front as far as it is settled.
 *
 * Flow control: at `appendStreamWindow` unanswered appends (the appends of
 * a batch count one by one; a batch is read whole) or the value budget, the
 * handler pauses the readable, so grpc-js stops pulling messages
 * and HTTP/2 flow control holds the client back; it resumes once a quarter of
 * the window has been answered. Responses are written with backpressure: on
 * a full write buffer the FIFO waits for 'drain', and what waits still counts
 * against the window, so a client that does not read its responses stops
 * being read.
 *
 * How it ends: after a half-close, once every append is answered (OK); at an
 * append the store answers UNAVAILABLE (a storage failure or a closing
 * store), after that append's own error response, with UNAVAILABLE; at a
 * request whose request_id cannot be read, after the appends before it, with
 * INVALID_ARGUMENT; at shutdown at once with UNAVAILABLE.
 */
export function appendStreamHandler(deps: HandlerDeps) {
  return bidiStreamingHandler<Request, Buffer>(deps.context, 'AppendStream', (call, bidi) => {
    new AppendStreamSession(deps, call, bidi).start();
  });
}

/** One unanswered request (one append or a batch), in request order. */
class Slot {
  /** The encoded response once settled (for a batch: once every append is). */
  response: Buffer | undefined = undefined;
  /** Set when the stream ends right after this slot (its response, if any, goes first). */
  endsWith: GrpcStatusError | undefined = undefined;
  /** A batch's results by position, each encoded as an AppendStreamResult. */
  private readonly results: Buffer[] | undefined;
  private unsettled: number;

  constructor(
    readonly requestId: bigint,
    /** Values held by the request's appends. */
    readonly values: number,
    /** Appends the request carries (0 for a request refused as a whole). */
    readonly appends: number,
    batched: boolean,
  ) {
    this.results = batched ? new Array<Buffer>(appends) : undefined;
    this.unsettled = appends;
  }

  /** Ready to leave: its response is complete, or it ends the stream with nothing (left) to answer. */
  get ready(): boolean {
    return this.response !== undefined || (this.endsWith !== undefined && this.unsettled === 0);
  }

  /** Records append `index`'s outcome, encoded by `encode` given the id to put in it. */
  settle(index: number, encode: (requestId: bigint) => Buffer): void {
    if (this.results === undefined) {
      this.response = encode(this.requestId);
      this.unsettled = 0;
      return;
    }
    // An entry of `results` is a response with request id 0 (left out): an AppendStreamResult.
    this.results[index] = encode(0n);
    this.unsettled -= 1;
    if (this.unsettled === 0) this.response = encodeBatchResponse(this.requestId, this.results);
  }
}

class AppendStreamSession {
  private readonly fifo: (Slot | undefined)[] = [];
  private front = 0;
  /** Appends and values held by unanswered requests. */
  private appends = 0;
  private values = 0;
  private paused = false;
  private halfClosed = false;
  /** No more requests are taken (a terminal slot was queued). */
  private stopped = false;
  private waitingForDrain = false;
  private readonly resumeAt: number;

  constructor(
    private readonly deps: HandlerDeps,
    private readonly call: ServerDuplexStream<Request, Buffer>,
    private readonly bidi: BidiCall,
  ) {
    this.resumeAt = Math.max(0, deps.appendStreamWindow - Math.max(1, Math.floor(deps.appendStreamWindow / 4)));
  }

  start(): void {
    // Otherwise responses leave one per event-loop turn (see coalesceWrites).
    coalesceWrites(this.call);
    const headers = new Metadata();
    headers.set(APPEND_BATCHES_HEADER, '1');
    this.call.sendMetadata(headers);
    const stats = this.deps.appendStreamStats;
    stats.open += 1;
    this.bidi.signal.addEventListener(
      'abort',
      () => {
        stats.open -= 1;
        stats.unanswered -= this.appends;
      },
      { once: true },
    );
    this.call.on('data', (request: Request) => this.receive(request));
    this.call.on('end', () => {
      this.halfClosed = true;
      this.flush();
    });
    // A broken stream also ends the call (the adapter sees 'close'/'cancelled'); nothing to answer then.
    this.call.on('error', () => undefined);
  }

  private get unansweredRequests(): number {
    return this.fifo.length - this.front;
  }

  private receive(request: Request): void {
    if (this.stopped || this.bidi.ended) return;
    if (request instanceof MalformedRequest) {
      const slot = new Slot(0n, 0, 0, false);
      slot.endsWith = new GrpcStatusError(status.INVALID_ARGUMENT, `malformed AppendStream request: ${request.reason}`);
      this.enqueue(slot);
      this.stopped = true;
      this.pause();
      this.flush();
      return;
    }
    if (request.batch !== undefined) {
      const batch = request.batch;
      const slot = new Slot(request.requestId, batch.reduce((sum, entry) => sum + (entry.append?.values.length ?? 0), 0), batch.length, true);
      this.enqueue(slot);
      // In list order, as if each were its own request: the store applies them in call order.
      batch.forEach((entry, index) => this.run(slot, index, entry));
    } else {
      // One append; or a request refused as a whole (`malformed`), answered with one error.
      const slot = new Slot(request.requestId, request.append?.values.length ?? 0, 1, false);
      this.enqueue(slot);
      this.run(slot, 0, request);
    }
    if (this.appends >= this.deps.appendStreamWindow || this.values >= APPEND_STREAM_VALUE_BUDGET) this.pause();
  }

  /** Validates append `index` of `slot` and hands it to the store. */
  private run(slot: Slot, index: number, entry: DecodedStreamAppend): void {
    const append = entry.append;
    if (append === undefined) {
      this.settleError(slot, index, new GrpcStatusError(status.INVALID_ARGUMENT, `malformed AppendStream request: ${entry.malformed ?? 'no append'}`));
      return;
    }
    let command: AppendCommand;
    try {
      command = validateAppendRequest(append, this.deps.maxAppendValues);
    } catch (error: unknown) {
      this.settleError(slot, index, error);
      return;
    }
    this.deps.store.append(command).then(
      (result) => this.settleAppended(slot, index, result),
      (error: unknown) => this.settleError(slot, index, error),
    );
  }

  private enqueue(slot: Slot): void {
    this.fifo.push(slot);
    this.appends += slot.appends;
    this.values += slot.values;
    const stats = this.deps.appendStreamStats;
    stats.unanswered += slot.appends;
    stats.requests += 1;
    stats.appends += slot.appends;
    if (this.appends > stats.peakUnanswered) stats.peakUnanswered = this.appends;
    if (this.values > stats.peakUnansweredValues) stats.peakUnansweredValues = this.values;
  }

  private settleAppended(slot: Slot, index: number, result: AppendResult): void {
    slot.settle(index, (requestId) => encodeAppendedResponse(requestId, result));
    if (slot === this.fifo[this.front]) this.flush();
  }

  private settleError(slot: Slot, index: number, error: unknown): void {
    const { code, details } = statusFromError(error, this.deps.context.mapDomainError, this.deps.context.logger, 'AppendStream');
    slot.settle(index, (requestId) => encodeErrorResponse(requestId, code, details ?? ''));
    // The store refuses writes (storage failure, closing): later appends
    // would fail too or land out of order with this one; end the stream
    // (after this request's response: a batch waits for all its appends).
    if (code === status.UNAVAILABLE) {
      slot.endsWith ??= new GrpcStatusError(code, details ?? 'unavailable');
      this.stopped = true;
      this.pause();
    }
    if (slot === this.fifo[this.front]) this.flush();
  }

  /** Writes settled responses from the front of the FIFO, in order, with backpressure. */
  private flush(): void {
    if (this.waitingForDrain || this.bidi.ended) return;
    while (this.front < this.fifo.length) {
      const slot = this.fifo[this.front] as Slot;
      if (!slot.ready) break;
      this.fifo[this.front] = undefined;
      this.front += 1;
      this.appends -= slot.appends;
      this.values -= slot.values;
      this.deps.appendStreamStats.unanswered -= slot.appends;
      const writable = slot.response === undefined ? true : this.call.write(slot.response);
      if (slot.endsWith) {
        this.bidi.end(slot.endsWith);
        return;
      }
      if (!writable) {
        this.waitingForDrain = true;
        this.call.once('drain', () => {
          this.waitingForDrain = false;
          this.flush();
        });
        break;
      }
    }
    this.compact();
    if (this.paused && !this.stopped && this.appends <= this.resumeAt && this.values < APPEND_STREAM_VALUE_BUDGET) {
      this.paused = false;
      this.call.resume();
    }
    if (this.halfClosed && this.unansweredRequests === 0 && !this.waitingForDrain) this.bidi.end();
  }

  private pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.call.pause();
  }

  /** Drops the answered front of the FIFO once it is most of the array. */
  private compact(): void {
    if (this.front === this.fifo.length) {
      this.fifo.length = 0;
      this.front = 0;
    } else if (this.front >= 1_024 && this.front * 2 >= this.fifo.length) {
      this.fifo.splice(0, this.front);
      this.front = 0;
    }
  }
}

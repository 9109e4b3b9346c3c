/**
 * The appender's AppendStreamResponse decoder, by hand: the generated one
 * builds a reader object, the response, its oneof wrapper and an
 * AppendResponse through `create` per answer; this reads the few fields
 * straight into the AppendResponse the caller gets. Proven equal to the
 * generated decoder by append-stream-wire.unit.spec.ts. Unknown fields are
 * skipped, so newer servers stay readable.
 *
 * AppendStreamResponse: 1 request_id (uint64) | oneof result { 2 appended
 * (AppendResponse: 1 first_offset, 2 next_offset (uint64), 3 duplicate
 * (bool)) | 3 error (AppendError: 1 code (uint32), 2 message (string)) } |
 * 4 results (repeated AppendStreamResult: the same oneof, same numbers).
 */
import type { AppendResponse } from './generated/eventlog/v1/eventlog.pb';

/** The outcome of one append: a response's own result, or one entry of a batch's results. */
export type AppendOutcome =
  | { readonly $case: 'appended'; readonly appended: AppendResponse }
  | { readonly $case: 'error'; readonly code: number; readonly message: string }
  | { readonly $case: undefined };

/** A decoded response: its request id, its own result, and a batch's results (empty for a single append). */
export type AppendStreamAnswer = AppendOutcome & { readonly requestId: number; readonly results: readonly AppendOutcome[] };

const NO_RESULTS: readonly AppendOutcome[] = [];

const TWO_32 = 4_294_967_296;

/** Throws on bytes that are not an AppendStreamResponse (grpc-js then fails the stream). */
export function decodeAppendStreamResponse(bytes: Uint8Array): AppendStreamAnswer {
  const r = new Cursor(bytes, 0, bytes.length);
  let requestId = 0;
  let answer: AppendOutcome = { $case: undefined };
  let results: AppendOutcome[] | undefined;
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 8) {
      r.varint();
      // request_id is the appender's own counter: a safe integer.
      requestId = r.hi * TWO_32 + r.lo;
    } else if (tag === 18 || tag === 26) {
      const length = r.uint32();
      const end = r.pos + length;
      if (end > r.end) throw new RangeError('AppendStreamResponse truncated');
      const inner = new Cursor(bytes, r.pos, end);
      answer = tag === 18 ? appendedOf(inner) : errorOf(inner);
      r.pos = end;
    } else if (tag === 34) {
      const length = r.uint32();
      const end = r.pos + length;
      if (end > r.end) throw new RangeError('AppendStreamResponse truncated');
      (results ??= []).push(resultOf(new Cursor(bytes, r.pos, end)));
      r.pos = end;
    } else r.skip(tag & 7);
  }
  return { ...answer, requestId, results: results ?? NO_RESULTS };
}

/** AppendStreamResult: the response's oneof alone (2 appended | 3 error); the last one given wins. */
function resultOf(r: Cursor): AppendOutcome {
  let result: AppendOutcome = { $case: undefined };
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 18 || tag === 26) {
      const length = r.uint32();
      const end = r.pos + length;
      if (end > r.end) throw new RangeError('AppendStreamResponse truncated');
      result = tag === 18 ? appendedOf(new Cursor(r.buf, r.pos, end)) : errorOf(new Cursor(r.buf, r.pos, end));
      r.pos = end;
    } else r.skip(tag & 7);
  }
  return result;
}


function appendedOf(r: Cursor): AppendOutcome {
  const appended: AppendResponse = { firstOffset: 0n, nextOffset: 0n, duplicate: false };
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 8 || tag === 16 || tag === 24) {
      r.varint();
      if (tag === 8) appended.firstOffset = r.uint64();
      else if (tag === 16) appended.nextOffset = r.uint64();
      else appended.duplicate = r.lo !== 0 || r.hi !== 0;
    } else r.skip(tag & 7);
  }
  return { $case: 'appended', appended };
}

function errorOf(r: Cursor): AppendOutcome {
  let code = 0;
  let message = '';
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 8) {
      r.varint();
      code = r.lo;
    } else if (tag === 18) {
      const length = r.uint32();
      r.need(length);
      message = Buffer.from(r.buf.buffer, r.buf.byteOffset + r.pos, length).toString('utf8');
      r.pos += length;
    } else r.skip(tag & 7);
  }
  return { $case: 'error', code, message };
}

/** A protobuf wire cursor; varints are read as two unsigned 32-bit halves. */
class Cursor {
  lo = 0;
  hi = 0;

  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  varint(): void {
    let lo = 0;
    let hi = 0;
    let byte = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      byte = this.byte();
      lo |= (byte & 0x7f) << shift;
      if (byte < 0x80) return this.set(lo, 0);
    }
    byte = this.byte();
    lo |= (byte & 0x0f) << 28;
    hi = (byte & 0x7f) >> 4;
    if (byte < 0x80) return this.set(lo, hi);
    for (let shift = 3; shift < 32; shift += 7) {
      byte = this.byte();
      hi |= (byte & 0x7f) << shift;
      if (byte < 0x80) return this.set(lo, hi);
    }
    throw new RangeError('varint longer than 10 bytes');
  }

  uint32(): number {
    this.varint();
    if (this.hi !== 0) throw new RangeError('tag or length out of range');
    return this.lo;
  }

  uint64(): bigint {
    if (this.hi < 0x200000) return BigInt(this.hi * TWO_32 + this.lo);
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  skip(wireType: number): void {
    if (wireType === 0) return this.varint();
    const length = wireType === 1 ? 8 : wireType === 5 ? 4 : wireType === 2 ? this.uint32() : -1;
    if (length < 0) throw new RangeError(`unsupported wire type ${wireType}`);
    this.need(length);
    this.pos += length;
  }

  need(length: number): void {
    if (this.pos + length > this.end) throw new RangeError('AppendStreamResponse truncated');
  }

  private byte(): number {
    if (this.pos >= this.end) throw new RangeError('AppendStreamResponse truncated');
    return this.buf[this.pos++] as number;
  }

  private set(lo: number, hi: number): void {
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }
}

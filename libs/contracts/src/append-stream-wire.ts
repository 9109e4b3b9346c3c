/**
 * The appender's AppendStreamRequest encoder, by hand: one buffer per append,
 * no writer or fork objects (the generated encoder allocates both, per
 * message). Proven equal to the generated encoder by appender.unit.spec.ts.
 *
 * AppendStreamRequest: 1 request_id (uint64) | 2 append (AppendRequest:
 * 1 values (packed sint64) | 2 expected_next_offset (optional uint64) |
 * 3 idempotency_key (string)).
 */

import { writeVarint64, writeVarintNumber, writeZigzag64 } from './wire-varint';

/** The AppendStream response header by which a server says it takes batches (`appends`); the appender batches only after seeing it. */
export const APPEND_BATCHES_HEADER = 'hello-es-append-batches';

export function encodeAppendStreamRequest(
  requestId: number,
  values: readonly bigint[],
  expectedNextOffset: bigint | undefined,
  idempotencyKey: string,
): Buffer {
  const keyBytes = idempotencyKey.length === 0 ? 0 : Buffer.byteLength(idempotencyKey, 'utf8');
  // Worst case: 10 bytes per value, the three field headers, the envelope.
  const room = 1 + 10 + 1 + 5 + (1 + 5 + values.length * 10) + (1 + 10) + (1 + 5 + keyBytes);
  const out = Buffer.allocUnsafe(room);
  let position = 0;
  if (requestId !== 0) {
    out[position++] = 0x08;
    position = writeVarintNumber(out, position, requestId);
  }
  out[position++] = 0x12;
  // The append's length is written once known; leave room for the longest varint.
  const lengthAt = position;
  position += 5;
  const bodyStart = position;
  if (values.length > 0) {
    out[position++] = 0x0a;
    const valuesLengthAt = position;
    position += 5;
    const valuesStart = position;
    position = writeZigzagValues(out, position, values);
    position = closeLength(out, valuesLengthAt, valuesStart, position);
  }
  if (expectedNextOffset !== undefined) {
    out[position++] = 0x10;
    position = writeVarintBig(out, position, expectedNextOffset);
  }
  if (keyBytes > 0) {
    out[position++] = 0x1a;
    position = writeVarintNumber(out, position, keyBytes);
    position += out.write(idempotencyKey, position, 'utf8');
  }
  const end = closeLength(out, lengthAt, bodyStart, position);
  return out.subarray(0, end);
}

/**
 * Writes the length of [start, end) as a varint at `at` (where 5 bytes were
 * left) and moves the body up against it; returns the new end.
 */
function closeLength(out: Buffer, at: number, start: number, end: number): number {
  const length = end - start;
  const after = writeVarintNumber(out, at, length);
  if (after !== start) out.copyWithin(after, start, end);
  return after + length;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The values as zigzag varints at `at`; returns the end. Each value goes
 * once through a BigInt64Array (a native conversion) and is then encoded
 * from its two 32-bit words: bigint arithmetic per value (zigzag, shifts,
 * Number()) allocated and was most of the appender's CPU at 1,000 values
 * per append. Throws RangeError for a value outside int64.
 */
function writeZigzagValues(out: Buffer, at: number, values: readonly bigint[]): number {
  const column = new BigInt64Array(values.length);
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] as bigint;
    if (value < INT64_MIN || value > INT64_MAX) throw new RangeError('a value is outside int64, or expected_next_offset outside uint64');
    column[index] = value;
  }
  // Little-endian words (low first), as on every platform Node runs on.
  const words = new Int32Array(column.buffer);
  let position = at;
  for (let index = 0; index < values.length; index += 1) {
    position = writeZigzag64(out, position, words[index * 2] as number, words[index * 2 + 1] as number);
  }
  return position;
}

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

/** A non-negative bigint below 2^64 as a varint; throws RangeError outside that (an int64 value or uint64 offset out of range). */
function writeVarintBig(out: Buffer, at: number, value: bigint): number {
  if (value <= 0x7fffffffn && value >= 0n) return writeVarintNumber(out, at, Number(value));
  if (value < 0n || value > UINT64_MAX) throw new RangeError('a value is outside int64, or expected_next_offset outside uint64');
  return writeVarint64(out, at, Number(value & 0xffffffffn), Number((value >> 32n) & 0xffffffffn));
}

/**
 * An AppendRequest (the unary Append's request), by hand as the appender's:
 * the generated encoder allocates a writer and forks, and converts each
 * bigint value on its own, which made the unary client the bottleneck of
 * appends of 1,000 values.
 */
export function encodeAppendRequest(request: { readonly values: readonly bigint[]; readonly expectedNextOffset?: bigint | undefined; readonly idempotencyKey: string }): Buffer {
  // With request id 0 (left out) the stream request is exactly the `append` field: its tag, its length, the AppendRequest.
  const field = encodeAppendStreamRequest(0, request.values, request.expectedNextOffset, request.idempotencyKey ?? '');
  let body = 2;
  while (((field[body - 1] as number) & 0x80) !== 0) body += 1;
  return field.subarray(body);
}

/** One append already encoded as a single-append request by encodeAppendStreamRequest. */
export interface EncodedAppend {
  readonly requestId: number;
  readonly bytes: Buffer;
}

/**
 * A batch request: `requestId` and each of `appends` as one entry of field
 * 3 (appends). Each entry's bytes are taken from its single-append
 * encoding: its `append` field (tag 2) re-tagged as 3, so nothing is
 * encoded twice.
 */
export function encodeAppendBatch(requestId: number, appends: readonly EncodedAppend[]): Buffer {
  let size = 1 + 10;
  for (const append of appends) size += append.bytes.length - requestIdLength(append.requestId);
  const out = Buffer.allocUnsafe(size);
  let position = 0;
  if (requestId !== 0) {
    out[position++] = 0x08;
    position = writeVarintNumber(out, position, requestId);
  }
  for (const append of appends) {
    const start = requestIdLength(append.requestId);
    out[position] = 0x1a;
    position += append.bytes.copy(out, position + 1, start + 1) + 1;
  }
  return out.subarray(0, position);
}

/** Bytes the request_id field takes at the start of a single-append request (none for 0). */
function requestIdLength(requestId: number): number {
  if (requestId === 0) return 0;
  let length = 2;
  for (let rest = Math.floor(requestId / 128); rest > 0; rest = Math.floor(rest / 128)) length += 1;
  return length;
}

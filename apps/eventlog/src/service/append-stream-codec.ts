import { BinaryReader } from '@bufbuild/protobuf/wire';
import { writeVarint64 } from '@hello-es/contracts';
import type { AppendResult } from '../store/log-store';
import { decodeAppendRequest, type DecodedAppendRequest } from './append-request-decoder';

/**
 * The AppendStream wire formats, by hand: requests decode straight into the
 * column form of decodeAppendRequest, responses encode into one small buffer
 * with no message object (the generated codec allocates a writer, forks and
 * objects per message). Proven equal to the generated codec by
 * append-stream-codec.unit.spec.ts.
 */

/** The most appends one AppendStreamRequest may carry in `appends`. */
export const MAX_APPENDS_PER_REQUEST = 1_024;

/** One append of a request: decoded, or why it could not be. */
export interface DecodedStreamAppend {
  readonly append: DecodedAppendRequest | undefined;
  readonly malformed: string | undefined;
}

/** An AppendStreamRequest whose request_id could be read. */
export interface DecodedAppendStreamRequest {
  readonly requestId: bigint;
  /** The append; undefined when `malformed` says why it could not be decoded (or when `batch` is set). */
  readonly append: DecodedAppendRequest | undefined;
  /** Why the request as a whole cannot be served (nothing of it is applied). */
  readonly malformed: string | undefined;
  /** The appends of `appends` (field 3), each decoded on its own; undefined for a single-append request. */
  readonly batch?: readonly DecodedStreamAppend[] | undefined;
}

const EMPTY_APPEND = new Uint8Array(0);

/**
 * AppendStreamRequest: 1 request_id (uint64) | 2 append (AppendRequest) |
 * 3 appends (repeated AppendRequest). Bytes that break before a request_id
 * was read throw (the server then ends the stream with INVALID_ARGUMENT);
 * once the id is known, any later damage in the envelope comes back as
 * `malformed` so that request alone is answered INVALID_ARGUMENT, and damage
 * inside one append of a batch as that append's own `malformed`. An `append`
 * field given twice: the last wins, as in the generated decoder.
 */
export function decodeAppendStreamRequest(bytes: Uint8Array): DecodedAppendStreamRequest {
  const reader = new BinaryReader(bytes);
  let requestId: bigint | undefined;
  let appendBytes: Uint8Array | undefined;
  let batchBytes: Uint8Array[] | undefined;
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag === 8) {
        requestId = BigInt(reader.uint64());
      } else if (tag === 18 || tag === 26) {
        const length = reader.uint32();
        const end = reader.pos + length;
        if (end > bytes.length) throw new RangeError('premature EOF');
        const field = bytes.subarray(reader.pos, end);
        reader.pos = end;
        if (tag === 18) {
          appendBytes = field;
        } else {
          batchBytes ??= [];
          if (batchBytes.length === MAX_APPENDS_PER_REQUEST) throw new RangeError(`more than ${MAX_APPENDS_PER_REQUEST} appends in one request`);
          batchBytes.push(field);
        }
      } else if ((tag & 7) === 4 || tag === 0) {
        break;
      } else {
        reader.skip(tag & 7);
      }
    }
  } catch (error: unknown) {
    if (requestId === undefined) throw error;
    return { requestId, append: undefined, malformed: reasonOf(error) };
  }
  const id = requestId ?? 0n;
  if (batchBytes !== undefined) {
    if (appendBytes !== undefined) return { requestId: id, append: undefined, malformed: 'set append or appends, not both' };
    return { requestId: id, append: undefined, malformed: undefined, batch: batchBytes.map(decodeOne) };
  }
  const one = decodeOne(appendBytes ?? EMPTY_APPEND);
  return { requestId: id, append: one.append, malformed: one.malformed };
}

function decodeOne(bytes: Uint8Array): DecodedStreamAppend {
  try {
    return { append: decodeAppendRequest(bytes), malformed: undefined };
  } catch (error: unknown) {
    return { append: undefined, malformed: reasonOf(error) };
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** tag + the longest uint64 varint, three times, and the envelope's field 2 header. */
const APPENDED_ROOM = 1 + 10 + 2 + 1 + 10 + 1 + 10 + 2;

/** An AppendStreamResponse carrying `appended`. */
export function encodeAppendedResponse(requestId: bigint, result: AppendResult): Buffer {
  const out = Buffer.allocUnsafe(APPENDED_ROOM);
  let position = writeUint64Field(out, 0, 0x08, requestId);
  out[position] = 0x12;
  const lengthAt = position + 1;
  position += 2;
  position = writeUint64Field(out, position, 0x08, result.firstOffset);
  position = writeUint64Field(out, position, 0x10, result.nextOffset);
  if (result.duplicate) {
    out[position++] = 0x18;
    out[position++] = 1;
  }
  // The body is at most 24 bytes, so its length is one varint byte.
  out[lengthAt] = position - lengthAt - 1;
  return out.subarray(0, position);
}

/** An AppendStreamResponse carrying `error` { code, message }. */
export function encodeErrorResponse(requestId: bigint, code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  const body = Buffer.allocUnsafe(1 + 5 + 1 + 5 + text.length);
  let position = code === 0 ? 0 : writeUint64Field(body, 0, 0x08, BigInt(code));
  if (text.length > 0) {
    position = writeUint64Field(body, position, 0x12, BigInt(text.length), true);
    position += text.copy(body, position);
  }
  const out = Buffer.allocUnsafe(11 + 1 + 5 + position);
  let at = writeUint64Field(out, 0, 0x08, requestId);
  at = writeUint64Field(out, at, 0x1a, BigInt(position), true);
  at += body.copy(out, at, 0, position);
  return out.subarray(0, at);
}

/**
 * An AppendStreamResponse answering a batch: request_id and one `results`
 * entry per append. Each entry is a response encoded with request id 0
 * (left out), which is exactly an AppendStreamResult (same field numbers).
 */
export function encodeBatchResponse(requestId: bigint, results: readonly Buffer[]): Buffer {
  let size = 11;
  for (const result of results) size += 1 + 5 + result.length;
  const out = Buffer.allocUnsafe(size);
  let at = writeUint64Field(out, 0, 0x08, requestId);
  for (const result of results) {
    at = writeUint64Field(out, at, 0x22, BigInt(result.length), true);
    at += result.copy(out, at);
  }
  return out.subarray(0, at);
}

/**
 * Writes `tag` and `value` as a uint64 varint at `at`; a zero is left out
 * (proto3 default) unless `always` (a length prefix). Returns the end.
 */
function writeUint64Field(out: Buffer, at: number, tag: number, value: bigint, always = false): number {
  if (value === 0n && !always) return at;
  out[at] = tag;
  if (value <= 0xffffffffn) return writeVarint64(out, at + 1, Number(value), 0);
  return writeVarint64(out, at + 1, Number(value & 0xffffffffn), Number(value >> 32n));
}

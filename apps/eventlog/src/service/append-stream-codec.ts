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

/** An AppendStreamRequest whose request_id could be read. */
export interface DecodedAppendStreamRequest {
  readonly requestId: bigint;
  /** The append; undefined when `malformed` says why it could not be decoded. */
  readonly append: DecodedAppendRequest | undefined;
  readonly malformed: string | undefined;
}

const EMPTY_APPEND = new Uint8Array(0);

/**
 * AppendStreamRequest: 1 request_id (uint64) | 2 append (AppendRequest).
 * Bytes that break before a request_id was read throw (the server then ends
 * the stream with INVALID_ARGUMENT); once the id is known, any later damage,
 * in the envelope or inside the append, comes back as `malformed` so that
 * append alone is answered INVALID_ARGUMENT. An `append` field given twice:
 * the last wins, as in the generated decoder.
 */
export function decodeAppendStreamRequest(bytes: Uint8Array): DecodedAppendStreamRequest {
  const reader = new BinaryReader(bytes);
  let requestId: bigint | undefined;
  let appendBytes: Uint8Array | undefined;
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag === 8) {
        requestId = BigInt(reader.uint64());
      } else if (tag === 18) {
        const length = reader.uint32();
        const end = reader.pos + length;
        if (end > bytes.length) throw new RangeError('premature EOF');
        appendBytes = bytes.subarray(reader.pos, end);
        reader.pos = end;
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
  try {
    return { requestId: id, append: decodeAppendRequest(appendBytes ?? EMPTY_APPEND), malformed: undefined };
  } catch (error: unknown) {
    return { requestId: id, append: undefined, malformed: reasonOf(error) };
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
 * Writes `tag` and `value` as a uint64 varint at `at`; a zero is left out
 * (proto3 default) unless `always` (a length prefix). Returns the end.
 */
function writeUint64Field(out: Buffer, at: number, tag: number, value: bigint, always = false): number {
  if (value === 0n && !always) return at;
  out[at] = tag;
  if (value <= 0xffffffffn) return writeVarint64(out, at + 1, Number(value), 0);
  return writeVarint64(out, at + 1, Number(value & 0xffffffffn), Number(value >> 32n));
}

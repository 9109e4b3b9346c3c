import { BinaryReader } from '@bufbuild/protobuf/wire';
import type { AppendRequestFields } from './validation';

/**
 * AppendRequest decoded straight into the store's form: the values land in a
 * BigInt64Array (two 32-bit words each), with no bigint per value, which the
 * generated decoder allocates and which dominated batched appends.
 *
 * Same view of the bytes as the generated `AppendRequest.decode` (proven by
 * append-request-decoder.unit.spec.ts): packed and unpacked values, last
 * `expected_next_offset` / `idempotency_key` wins, unknown fields skipped,
 * tag 0 or an end-group tag stops decoding, and malformed bytes throw (the
 * server turns that into INVALID_ARGUMENT).
 */
export type DecodedAppendRequest = AppendRequestFields & { readonly values: BigInt64Array };

export function decodeAppendRequest(bytes: Uint8Array): DecodedAppendRequest {
  const reader = new BinaryReader(bytes);
  const values = new ValueColumn();
  let expectedNextOffset: bigint | undefined;
  let idempotencyKey = '';
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 10) {
      const end = reader.uint32() + reader.pos;
      values.reserve(countVarints(bytes, reader.pos, Math.min(end, bytes.length)));
      while (reader.pos < end) reader.pos = values.pushZigZag(bytes, reader.pos);
    } else if (tag === 8) {
      reader.pos = values.pushZigZag(bytes, reader.pos);
    } else if (tag === 16) {
      expectedNextOffset = reader.uint64() as bigint;
    } else if (tag === 26) {
      idempotencyKey = reader.string();
    } else if ((tag & 7) === 4 || tag === 0) {
      break;
    } else {
      reader.skip(tag & 7);
    }
  }
  return { values: values.finish(), expectedNextOffset, idempotencyKey };
}

/** Bytes that end a varint in [from, to): the number of varints there. */
function countVarints(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let position = from; position < to; position += 1) if (((bytes[position] as number) & 0x80) === 0) count += 1;
  return count;
}

const NO_VALUES = new BigInt64Array(0);
const NO_WORDS = new Int32Array(0);

/**
 * A growable column of int64 values, written as little-endian 32-bit word
 * pairs through a view of the same memory. Sized exactly for a packed field
 * (counted first), so a small append costs two typed arrays: the values and
 * their word view.
 */
class ValueColumn {
  private values = NO_VALUES;
  private words = NO_WORDS;
  private count = 0;

  reserve(more: number): void {
    const needed = this.count + more;
    if (needed <= this.values.length) return;
    const grown = new BigInt64Array(Math.max(needed, this.values.length * 2));
    const words = new Int32Array(grown.buffer);
    if (this.count > 0) words.set(this.words.subarray(0, this.count * 2));
    this.values = grown;
    this.words = words;
  }

  /**
   * Reads one zigzag varint at `at` (the algorithm of @bufbuild/protobuf's
   * varint64read, so the same bytes are accepted or refused), appends it and
   * returns the position after it.
   */
  pushZigZag(bytes: Uint8Array, at: number): number {
    let position = at;
    let low = 0;
    let high = 0;
    let done = false;
    for (let shift = 0; shift < 28 && !done; shift += 7) {
      const byte = bytes[position++] as number;
      low |= (byte & 0x7f) << shift;
      done = (byte & 0x80) === 0;
    }
    if (!done) {
      const middle = bytes[position++] as number;
      low |= (middle & 0x0f) << 28;
      high = (middle & 0x70) >> 4;
      done = (middle & 0x80) === 0;
      for (let shift = 3; shift <= 31 && !done; shift += 7) {
        const byte = bytes[position++] as number;
        high |= (byte & 0x7f) << shift;
        done = (byte & 0x80) === 0;
      }
      if (!done) throw new Error('invalid varint');
    }
    if (position > bytes.length) throw new RangeError('premature EOF');
    if (this.count === this.values.length) this.reserve(Math.max(16, this.count));
    const sign = -(low & 1);
    this.words[this.count * 2] = ((low >>> 1) | ((high & 1) << 31)) ^ sign;
    this.words[this.count * 2 + 1] = (high >>> 1) ^ sign;
    this.count += 1;
    return position;
  }

  finish(): BigInt64Array {
    return this.count === this.values.length ? this.values : this.values.subarray(0, this.count);
  }
}

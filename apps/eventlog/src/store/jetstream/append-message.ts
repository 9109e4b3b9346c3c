import { createHash } from 'node:crypto';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { Int64Values } from '../log-store';

/** Header with the offset of the message's first value (decimal). */
export const FIRST_OFFSET_HEADER = 'Hello-Es-First-Offset';
/** Header with the number of values in the message (decimal). */
export const COUNT_HEADER = 'Hello-Es-Count';

/**
 * One Append as one stream message: the headers say which offsets it holds,
 * the payload is the values as int64 little-endian (8 bytes each). One
 * message per Append keeps an Append atomic (JetStream 2.9 has no batch
 * publish), and the offsets in the headers make finding an offset a binary
 * search over sequences (docs/jetstream.md).
 */
export interface AppendMessage {
  readonly seq: number;
  readonly firstOffset: bigint;
  readonly count: number;
  readonly values: BigInt64Array;
  readonly timeMs: number;
}

export function encodeValues(values: Int64Values): Uint8Array {
  const column = values instanceof BigInt64Array ? values : BigInt64Array.from(values);
  // BigInt64Array is little-endian on every platform Node runs on (x64, arm64); checked once below.
  return new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
}

export function appendHeaders(firstOffset: bigint, count: number): MsgHdrs {
  const result = headers();
  result.set(FIRST_OFFSET_HEADER, firstOffset.toString());
  result.set(COUNT_HEADER, String(count));
  return result;
}

/** The values' SHA-256 (hex); equal payloads are equal appends (the idempotency check). */
export function hashPayload(payload: Uint8Array): string {
  return createHash('sha256').update(payload).digest('hex');
}

/** Thrown when a stream message is not one this backend wrote (or is damaged). */
export class ForeignMessage extends Error {
  override readonly name = 'ForeignMessage';
  constructor(
    readonly seq: number,
    readonly problem: string,
  ) {
    super(`stream message ${seq} is not an event log append: ${problem}`);
  }
}

interface StoredLike {
  readonly seq: number;
  readonly header: MsgHdrs;
  readonly data: Uint8Array;
  readonly time: Date;
}

/** Decodes a stored message; throws ForeignMessage if its headers and payload do not agree. */
export function decodeAppendMessage(stored: StoredLike): AppendMessage {
  const first = stored.header.get(FIRST_OFFSET_HEADER);
  const count = stored.header.get(COUNT_HEADER);
  if (!/^\d+$/.test(first) || !/^\d+$/.test(count)) {
    throw new ForeignMessage(stored.seq, `missing or bad ${FIRST_OFFSET_HEADER}/${COUNT_HEADER} headers`);
  }
  const data = stored.data;
  if (data.byteLength !== Number(count) * 8) {
    throw new ForeignMessage(stored.seq, `payload of ${data.byteLength} bytes for ${count} values`);
  }
  // Copy: the payload's offset in its buffer need not be 8-aligned.
  const values = new BigInt64Array(Number(count));
  new Uint8Array(values.buffer).set(data);
  return { seq: stored.seq, firstOffset: BigInt(first), count: Number(count), values, timeMs: stored.time.getTime() };
}

if (new Uint8Array(BigInt64Array.of(1n).buffer)[0] !== 1) {
  throw new Error('the jetstream backend needs a little-endian platform (values are stored as int64 little-endian)');
}

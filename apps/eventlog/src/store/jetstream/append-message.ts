import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { Int64Values } from '../log-store';

/** Header with the offset of the message's first value (decimal). */
export const FIRST_OFFSET_HEADER = 'Hello-Es-First-Offset';
/** Header with the number of values in the message (decimal). */
export const COUNT_HEADER = 'Hello-Es-Count';
/**
 * Header with the append time, ms since the epoch (decimal): the gateway's
 * clock when it took the append. It travels with the message so every
 * gateway reports the same time for an event, also one that serves its own
 * append from memory without reading the stream (a message without it, as
 * written before this header existed, has its stored timestamp instead).
 */
export const TIME_HEADER = 'Hello-Es-Time';

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
  const column = values instanceof BigInt64Array ? values : new BigInt64Array(values);
  // BigInt64Array is little-endian on every platform Node runs on (x64, arm64); checked once below.
  return new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
}

export function appendHeaders(firstOffset: bigint, count: number, timeMs: number): MsgHdrs {
  const result = headers();
  result.set(FIRST_OFFSET_HEADER, firstOffset.toString());
  result.set(COUNT_HEADER, String(count));
  result.set(TIME_HEADER, String(timeMs));
  return result;
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

if (new Uint8Array(BigInt64Array.of(1n).buffer)[0] !== 1) {
  throw new Error('the jetstream backend needs a little-endian platform (values are stored as int64 little-endian)');
}

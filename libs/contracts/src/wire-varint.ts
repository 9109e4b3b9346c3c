/**
 * A non-negative safe integer as a protobuf varint at `out[at]`; returns the
 * position after it. Shared by the hand-written encoders on both sides of the
 * wire (the appender's requests, the event log's Subscribe/Read responses).
 */
export function writeVarintNumber(out: Buffer, at: number, value: number): number {
  let position = at;
  let rest = value;
  while (rest > 0x7fffffff) {
    out[position++] = (rest % 128) | 0x80;
    rest = Math.floor(rest / 128);
  }
  while (rest > 127) {
    out[position++] = (rest & 127) | 0x80;
    rest >>>= 7;
  }
  out[position++] = rest;
  return position;
}

/**
 * A 64-bit unsigned varint given as two unsigned 32-bit halves at `out[at]`
 * (a uint64, or an int64's zigzag or two's complement bits); returns the
 * position after it. Shared like writeVarintNumber.
 */
export function writeVarint64(out: Buffer, at: number, lowWord: number, highWord: number): number {
  let position = at;
  let low = lowWord;
  let high = highWord;
  while (high !== 0) {
    out[position++] = (low & 127) | 0x80;
    low = ((low >>> 7) | (high << 25)) >>> 0;
    high >>>= 7;
  }
  while (low > 127) {
    out[position++] = (low & 127) | 0x80;
    low >>>= 7;
  }
  out[position++] = low;
  return position;
}

/**
 * An int64 given as its two 32-bit words (low, high; as an Int32Array over a
 * BigInt64Array reads them on a little-endian platform) as a zigzag varint
 * (sint64) at `out[at]`; returns the position after it. No bigint involved.
 */
export function writeZigzag64(out: Buffer, at: number, low: number, high: number): number {
  const sign = high >> 31;
  return writeVarint64(out, at, ((low << 1) ^ sign) >>> 0, (((high << 1) | (low >>> 31)) ^ sign) >>> 0);
}

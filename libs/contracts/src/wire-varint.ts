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

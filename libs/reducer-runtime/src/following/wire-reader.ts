// A minimal protobuf wire-format cursor for the lean Subscribe decoder:
// varints are read as two 32-bit halves, so a 64-bit integer costs no
// intermediate bigint, only the final one.

/** The bytes are not a valid SubscribeResponse. */
export class SubscribeDecodeError extends Error {
  override readonly name = 'SubscribeDecodeError';
}

export const TWO_32 = 4_294_967_296;

/** A cursor over protobuf wire bytes. Varints are read as two 32-bit halves. */
export class WireReader {
  pos: number;
  lo = 0;
  hi = 0;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** Reads a varint into lo/hi (unsigned 32-bit halves). */
  varint(): void {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let byte = 0;
    for (; shift < 28; shift += 7) {
      byte = this.byte();
      lo |= (byte & 0x7f) << shift;
      if (byte < 0x80) return this.done(lo, 0);
    }
    byte = this.byte();
    lo |= (byte & 0x0f) << 28;
    hi = (byte & 0x7f) >> 4;
    if (byte < 0x80) return this.done(lo, hi);
    for (shift = 3; shift < 32; shift += 7) {
      byte = this.byte();
      hi |= (byte & 0x7f) << shift;
      if (byte < 0x80) return this.done(lo, hi);
    }
    throw new SubscribeDecodeError('varint longer than 10 bytes');
  }

  /** A varint that must fit in a JS number (tags, lengths). */
  uint32(): number {
    this.varint();
    if (this.hi !== 0) throw new SubscribeDecodeError('length or tag out of range');
    return this.lo;
  }

  /** The varint just read, as an unsigned 64-bit bigint. */
  uint64(): bigint {
    if (this.hi < 0x200000) return BigInt(this.hi * TWO_32 + this.lo);
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The varint just read, zigzag-decoded, as a signed 64-bit bigint. */
  sint64(): bigint {
    const mask = -(this.lo & 1);
    const lo = (((this.lo >>> 1) | (this.hi << 31)) ^ mask) >>> 0;
    const hi = ((this.hi >>> 1) ^ mask) | 0;
    if (hi >= -0x200000 && hi < 0x200000) return BigInt(hi * TWO_32 + lo);
    return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo));
  }

  string(length: number): string {
    const start = this.pos;
    this.advance(length);
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + start, length).toString('utf8');
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.advance(8);
        return;
      case 2:
        this.advance(this.uint32());
        return;
      case 5:
        this.advance(4);
        return;
      default:
        throw new SubscribeDecodeError(`unsupported wire type ${wireType}`);
    }
  }

  advance(length: number): void {
    if (this.pos + length > this.end) throw new SubscribeDecodeError('message truncated');
    this.pos += length;
  }

  private byte(): number {
    if (this.pos >= this.end) throw new SubscribeDecodeError('message truncated');
    return this.buf[this.pos++] as number;
  }

  private done(lo: number, hi: number): void {
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }
}

import { SubscribeDecodeError, TWO_32, WireReader } from './wire-reader';

export { SubscribeDecodeError };

/**
 * A decoder for eventlog.v1.SubscribeResponse that keeps only what a reducer
 * needs: offsets and values as bigint, the log id, the heads. The generated
 * decoder builds an Event object and a Date per event, which caps catch-up
 * far below a million events per second; this one does not. Unknown fields
 * (append_time included) are skipped, so newer servers stay readable. It
 * reads both forms of events: `events` (EventBatch) and, for a
 * subscription with values_only, `values` (EventValues); both come out as
 * the same `events` message.
 */
export type SubscriptionMessage =
  | { readonly kind: 'started'; readonly logId: string; readonly nextOffset: bigint }
  | {
      readonly kind: 'events';
      /** The offset of `values[0]` (0 when the batch is empty). */
      readonly firstOffset: bigint;
      /** The values of consecutive events from `firstOffset` on. */
      readonly values: bigint[];
      /**
       * False when the batch broke the offset sequence (a gap or a repeat):
       * `values` then holds only the events before the break.
       */
      readonly contiguous: boolean;
    }
  | { readonly kind: 'caughtUp'; readonly nextOffset: bigint }
  | { readonly kind: 'empty' };

/** Decodes one SubscribeResponse; throws SubscribeDecodeError on malformed bytes. */
export function decodeSubscribeResponse(bytes: Uint8Array): SubscriptionMessage {
  const reader = new WireReader(bytes, 0, bytes.length);
  let message: SubscriptionMessage = { kind: 'empty' };
  while (reader.pos < reader.end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if ((tag & 7) !== 2 || field < 1 || field > 4) {
      reader.skip(tag & 7);
      continue;
    }
    const length = reader.uint32();
    const end = reader.pos + length;
    if (end > reader.end) throw new SubscribeDecodeError('message truncated');
    const inner = new WireReader(bytes, reader.pos, end);
    // The last oneof member on the wire wins, as protobuf requires.
    if (field === 1) message = decodeStarted(inner);
    else if (field === 2) message = decodeEventBatch(inner);
    else if (field === 3) message = decodeCaughtUp(inner);
    else message = decodeEventValues(inner);
    reader.pos = end;
  }
  return message;
}

function decodeStarted(reader: WireReader): SubscriptionMessage {
  let logId = '';
  let nextOffset = 0n;
  while (reader.pos < reader.end) {
    const tag = reader.uint32();
    if (tag === 10) logId = reader.string(reader.uint32());
    else if (tag === 16) {
      reader.varint();
      nextOffset = reader.uint64();
    } else reader.skip(tag & 7);
  }
  return { kind: 'started', logId, nextOffset };
}

function decodeCaughtUp(reader: WireReader): SubscriptionMessage {
  let nextOffset = 0n;
  while (reader.pos < reader.end) {
    const tag = reader.uint32();
    if (tag === 8) {
      reader.varint();
      nextOffset = reader.uint64();
    } else reader.skip(tag & 7);
  }
  return { kind: 'caughtUp', nextOffset };
}

/** EventValues: 1 first_offset (uint64) | 2 values (packed sint64; an unpacked value is read too, as protobuf requires). */
function decodeEventValues(reader: WireReader): SubscriptionMessage {
  const values: bigint[] = [];
  let firstOffset = 0n;
  while (reader.pos < reader.end) {
    const tag = reader.uint32();
    if (tag === 8) {
      reader.varint();
      firstOffset = reader.uint64();
    } else if (tag === 18) {
      const length = reader.uint32();
      const end = reader.pos + length;
      if (end > reader.end) throw new SubscribeDecodeError('message truncated');
      while (reader.pos < end) {
        reader.varint();
        values.push(reader.sint64());
      }
      if (reader.pos !== end) throw new SubscribeDecodeError('values overrun their length');
    } else if (tag === 16) {
      reader.varint();
      values.push(reader.sint64());
    } else reader.skip(tag & 7);
  }
  return { kind: 'events', firstOffset, values, contiguous: true };
}

function decodeEventBatch(reader: WireReader): SubscriptionMessage {
  const values: bigint[] = [];
  let firstOffset = 0n;
  // Offsets are compared as numbers while they are below 2^53 (always, in
  // practice); the bigint path keeps larger ones exact.
  let previous = -1;
  let previousBig = -1n;
  let contiguous = true;
  while (reader.pos < reader.end) {
    const tag = reader.uint32();
    if (tag !== 10) {
      reader.skip(tag & 7);
      continue;
    }
    const length = reader.uint32();
    const end = reader.pos + length;
    if (end > reader.end) throw new SubscribeDecodeError('message truncated');
    let offsetLo = 0;
    let offsetHi = 0;
    let value = 0n;
    while (reader.pos < end) {
      const eventTag = reader.uint32();
      if (eventTag === 8) {
        reader.varint();
        offsetLo = reader.lo;
        offsetHi = reader.hi;
      } else if (eventTag === 16) {
        reader.varint();
        value = reader.sint64();
      } else reader.skip(eventTag & 7);
    }
    if (reader.pos !== end) throw new SubscribeDecodeError('event overruns its length');
    if (contiguous) {
      if (offsetHi < 0x200000) {
        const offset = offsetHi * TWO_32 + offsetLo;
        if (values.length === 0) firstOffset = BigInt(offset);
        else if (previous < 0 || offset !== previous + 1) contiguous = false;
        previous = offset;
      } else {
        const offset = (BigInt(offsetHi) << 32n) | BigInt(offsetLo);
        const expected = (previous >= 0 ? BigInt(previous) : previousBig) + 1n;
        if (values.length === 0) firstOffset = offset;
        else if (offset !== expected) contiguous = false;
        previous = -1;
        previousBig = offset;
      }
      if (contiguous) values.push(value);
    }
  }
  return { kind: 'events', firstOffset, values, contiguous };
}

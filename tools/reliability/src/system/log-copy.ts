import type { EventLogServiceClient } from '@hello-es/contracts';

/**
 * The suite's copy of the log: values by offset in a growable BigInt64Array
 * (8 bytes an event, so a few million events stay cheap to hold).
 */
export class LogCopy {
  private values = new BigInt64Array(1 << 16);
  length = 0;

  /** The values at offsets 0..length-1 (a view, valid until the next append). */
  view(): BigInt64Array {
    return this.values.subarray(0, this.length);
  }

  push(value: bigint): void {
    if (this.length === this.values.length) {
      const grown = new BigInt64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length] = value;
    this.length += 1;
  }

  at(offset: number): bigint | undefined {
    return offset < this.length ? this.values[offset] : undefined;
  }
}

export interface ReadBack {
  /** The first offset whose value differs from the copy's, or -1. */
  readonly firstChanged: number;
  /** How many events the read returned (the head when it started, with maxCount 0). */
  readonly read: number;
}

/**
 * Reads the log from offset 0 (all of it, or `maxCount` events), compares
 * each event with the copy and appends the ones beyond it. Throws if the
 * offsets sent are not dense from 0.
 */
export async function readBack(client: EventLogServiceClient, copy: LogCopy, fromOffset = 0n, maxCount = 0n): Promise<ReadBack> {
  let expected = fromOffset;
  let firstChanged = -1;
  const stream = client.read({ fromOffset, maxCount }, { deadline: Date.now() + 300_000 });
  for await (const message of stream as AsyncIterable<{ events: { offset: bigint; value: bigint }[] }>) {
    for (const event of message.events) {
      if (event.offset !== expected) {
        stream.cancel();
        throw new Error(`Read sent offset ${event.offset} where ${expected} was due (offsets not dense)`);
      }
      const offset = Number(event.offset);
      if (offset < copy.length) {
        if (firstChanged < 0 && copy.at(offset) !== event.value) firstChanged = offset;
      } else {
        copy.push(event.value);
      }
      expected += 1n;
    }
  }
  return { firstChanged, read: Number(expected - fromOffset) };
}

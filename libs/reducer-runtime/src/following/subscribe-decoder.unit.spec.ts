import { SubscribeResponse, type Event } from '@hello-es/contracts';
import { decodeSubscribeResponse, SubscribeDecodeError } from './subscribe-decoder';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function encode(message: SubscribeResponse): Uint8Array {
  return SubscribeResponse.encode(message).finish();
}

function eventsAt(first: bigint, values: bigint[]): Event[] {
  return values.map((value, i) => ({ offset: first + BigInt(i), value, appendTime: new Date(1_700_000_000_123) }));
}

describe('decodeSubscribeResponse', () => {
  it('decodes started with its log id and head, as the generated encoder writes it', () => {
    const bytes = encode({ kind: { $case: 'started', value: { logId: 'log-ü-1', nextOffset: UINT64_MAX } } });
    expect(decodeSubscribeResponse(bytes)).toEqual({ kind: 'started', logId: 'log-ü-1', nextOffset: UINT64_MAX });
  });

  it('decodes caught_up, including offset 0 (a field the encoder leaves out)', () => {
    expect(decodeSubscribeResponse(encode({ kind: { $case: 'caughtUp', value: { nextOffset: 0n } } }))).toEqual({
      kind: 'caughtUp',
      nextOffset: 0n,
    });
    expect(decodeSubscribeResponse(encode({ kind: { $case: 'caughtUp', value: { nextOffset: 2n ** 53n + 7n } } }))).toEqual(
      { kind: 'caughtUp', nextOffset: 2n ** 53n + 7n },
    );
  });

  it('decodes int64 extremes, negatives and zero exactly, skipping append_time', () => {
    const values = [0n, 1n, -1n, INT64_MAX, INT64_MIN, INT64_MAX - 1n, INT64_MIN + 1n, 2n ** 53n, -(2n ** 53n) - 1n, 123456789n];
    const bytes = encode({ kind: { $case: 'events', value: { events: eventsAt(0n, values) } } });
    expect(decodeSubscribeResponse(bytes)).toEqual({ kind: 'events', firstOffset: 0n, values, contiguous: true });
  });

  it('decodes values-only messages (EventValues) as the same events, int64 extremes and offsets beyond 2^53 included', () => {
    const values = [0n, 1n, -1n, INT64_MAX, INT64_MIN, INT64_MAX - 1n, INT64_MIN + 1n, 2n ** 53n, -(2n ** 53n) - 1n, 123456789n];
    for (const firstOffset of [0n, 7n, 2n ** 53n + 3n, UINT64_MAX - 20n]) {
      const bytes = encode({ kind: { $case: 'values', value: { firstOffset, values } } });
      expect(decodeSubscribeResponse(bytes)).toEqual({ kind: 'events', firstOffset, values, contiguous: true });
      expect(() => decodeSubscribeResponse(bytes.subarray(0, bytes.length - 1))).toThrow(SubscribeDecodeError);
    }
    // Values written unpacked (allowed by protobuf for a repeated scalar) read the same.
    const unpacked = Buffer.from([0x22, 0x06, 0x08, 0x05, 0x10, 0x02, 0x10, 0x03]);
    expect(decodeSubscribeResponse(unpacked)).toEqual({ kind: 'events', firstOffset: 5n, values: [1n, -2n], contiguous: true });
  });

  it('keeps offsets above 2^53 exact and still sees them as consecutive', () => {
    const first = 2n ** 53n - 2n;
    const bytes = encode({ kind: { $case: 'events', value: { events: eventsAt(first, [5n, 6n, 7n, 8n]) } } });
    expect(decodeSubscribeResponse(bytes)).toEqual({ kind: 'events', firstOffset: first, values: [5n, 6n, 7n, 8n], contiguous: true });
  });

  it('reports a batch that breaks the offset sequence and keeps only the events before the break', () => {
    const events = [...eventsAt(10n, [1n, 2n]), ...eventsAt(13n, [3n])];
    const bytes = encode({ kind: { $case: 'events', value: { events } } });
    expect(decodeSubscribeResponse(bytes)).toEqual({ kind: 'events', firstOffset: 10n, values: [1n, 2n], contiguous: false });
  });

  it('decodes a full batch of 4,096 events the same as the generated decoder', () => {
    const values = Array.from({ length: 4096 }, (_, i) => BigInt(i % 7) - 3n);
    const bytes = encode({ kind: { $case: 'events', value: { events: eventsAt(1_000_000n, values) } } });
    const generated = SubscribeResponse.decode(bytes);
    const fast = decodeSubscribeResponse(bytes);
    if (generated.kind?.$case !== 'events' || fast.kind !== 'events') throw new Error('expected events');
    expect(fast.values).toEqual(generated.kind.value.events.map((event) => event.value));
    expect(fast.firstOffset).toBe(generated.kind.value.events[0]?.offset);
  });

  it('returns empty for a message with no kind set', () => {
    expect(decodeSubscribeResponse(new Uint8Array())).toEqual({ kind: 'empty' });
  });

  it('throws a decode error on truncated bytes instead of inventing values', () => {
    const bytes = encode({ kind: { $case: 'events', value: { events: eventsAt(0n, [INT64_MIN]) } } });
    expect(() => decodeSubscribeResponse(bytes.subarray(0, bytes.length - 3))).toThrow(SubscribeDecodeError);
  });
});

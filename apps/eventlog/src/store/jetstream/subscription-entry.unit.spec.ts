import { decodeGatewayEntry, encodeGatewayEntry, MAX_SHARED_PER_GATEWAY } from './subscription-entry';

const entry = (index: number) => ({
  subscriberName: `s${index}`,
  peer: `ipv4:127.0.0.1:${40_000 + index}`,
  nextOffset: 18_446_744_073_709_551_615n - BigInt(index),
  since: new Date(1_700_000_000_000 + index),
});

describe('a gateway entry in the subscriptions bucket', () => {
  it('carries every subscription with its gateway and a full uint64 next offset', () => {
    const decoded = decodeGatewayEntry(encodeGatewayEntry('127.0.0.1:50051', [entry(2), entry(1)]));
    expect(decoded).toEqual([
      { gateway: '127.0.0.1:50051', ...entry(1) },
      { gateway: '127.0.0.1:50051', ...entry(2) },
    ]);
  });

  it('keeps the oldest subscriptions up to the cap and counts the rest as omitted', () => {
    const many = Array.from({ length: MAX_SHARED_PER_GATEWAY + 5 }, (_, index) => entry(MAX_SHARED_PER_GATEWAY + 4 - index));
    const data = encodeGatewayEntry('g', many);
    expect(JSON.parse(new TextDecoder().decode(data))).toMatchObject({ omitted: 5 });
    const decoded = decodeGatewayEntry(data) ?? [];
    expect(decoded).toHaveLength(MAX_SHARED_PER_GATEWAY);
    expect(decoded[0]?.subscriberName).toBe('s0');
    expect(data.length).toBeLessThan(1_024 * 1_024);
  });

  it('ignores a value it cannot read instead of failing the listing', () => {
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    expect(decodeGatewayEntry(new TextEncoder().encode('not json'))).toBeUndefined();
    expect(decodeGatewayEntry(encode({ v: 2, gateway: 'g', subscriptions: [] }))).toBeUndefined();
    expect(decodeGatewayEntry(encode({ v: 1, gateway: 'g', subscriptions: [{ name: 'x', peer: 'p', next: '-1', since: 0 }] }))).toBeUndefined();
    expect(decodeGatewayEntry(encode({ v: 1, gateway: 'g', subscriptions: [null] }))).toBeUndefined();
    expect(decodeGatewayEntry(encode({ v: 1, gateway: 'g', omitted: 0, subscriptions: [] }))).toEqual([]);
  });
});

import { ForeignMessage } from './append-message';
import { decodeStored } from './stream-message-get';

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const headersOf = (first: string, count: string) => b64(`NATS/1.0\r\nHello-Es-First-Offset: ${first}\r\nHello-Es-Count: ${count}\r\nNats-Msg-Id: u-1\r\n\r\n`);

describe('decoding a stored append message (STREAM.MSG.GET)', () => {
  it('gives the offsets from the headers and the values as int64 little-endian, the extremes included', () => {
    const values = BigInt64Array.of(-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n);
    const message = decodeStored(7, headersOf('40', '4'), b64(new Uint8Array(values.buffer)), 1_700_000_000_000);
    expect(message).toEqual({ seq: 7, firstOffset: 40n, count: 4, values, timeMs: 1_700_000_000_000 });
  });

  it.each([
    ['a payload shorter than its count', headersOf('0', '2'), b64(new Uint8Array(8))],
    ['a payload longer than its count', headersOf('0', '1'), b64(new Uint8Array(16))],
    ['no first-offset header', b64('NATS/1.0\r\nHello-Es-Count: 1\r\n\r\n'), b64(new Uint8Array(8))],
    ['a bad count', headersOf('0', '-1'), b64(new Uint8Array(8))],
    ['no headers at all', '', b64(new Uint8Array(8))],
  ])('refuses %s as a foreign message', (_, headers, data) => {
    expect(() => decodeStored(3, headers, data, 0)).toThrow(ForeignMessage);
  });

  it('takes the append time from Hello-Es-Time, and the stored timestamp only for a message without it', () => {
    const data = b64(new Uint8Array(8));
    const stamped = b64('NATS/1.0\r\nHello-Es-First-Offset: 0\r\nHello-Es-Count: 1\r\nHello-Es-Time: 1700000000123\r\n\r\n');
    expect(decodeStored(1, stamped, data, 1_800_000_000_000).timeMs).toBe(1_700_000_000_123);
    expect(decodeStored(1, headersOf('0', '1'), data, 1_800_000_000_000).timeMs).toBe(1_800_000_000_000);
  });
});

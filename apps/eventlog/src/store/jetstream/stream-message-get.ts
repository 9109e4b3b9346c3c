import { JetStreamApiError, type ApiError } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { COUNT_HEADER, FIRST_OFFSET_HEADER, ForeignMessage, TIME_HEADER, type AppendMessage } from './append-message';

const NO_MESSAGE_FOUND = 10_037;
const FIRST_OFFSET = new RegExp(`\\r\\n${FIRST_OFFSET_HEADER}:\\s*(\\S*)\\r\\n`);
const COUNT = new RegExp(`\\r\\n${COUNT_HEADER}:\\s*(\\S*)\\r\\n`);
const TIME = new RegExp(`\\r\\n${TIME_HEADER}:\\s*(\\d{1,15})\\r\\n`);

/** What STREAM.MSG.GET answers (JetStream's JSON API; data and headers in base64). */
interface MsgGetResponse {
  readonly error?: ApiError;
  readonly message?: { readonly seq: number; readonly hdrs?: string; readonly data?: string; readonly time: string };
}

/**
 * One append message through the stream leader (`$JS.API.STREAM.MSG.GET`,
 * not direct get, which can be stale right after a write), or null when
 * the stream has none. The reader's hot path: the client library's
 * getMessage decodes the payload with atob and a loop per byte on every
 * access to `data`; here the base64 payload is written straight into the
 * values column (one decode, no copy, no per-value allocation). Throws
 * JetStreamApiError for an API error, ForeignMessage for a message this
 * backend did not write, and the client's errors (timeout, no responders).
 */
export async function getAppendMessage(
  nc: NatsConnection,
  stream: string,
  query: { readonly seq: number } | { readonly last_by_subj: string },
  timeoutMs: number,
): Promise<AppendMessage | null> {
  const reply = await nc.request(`$JS.API.STREAM.MSG.GET.${stream}`, JSON.stringify(query), { timeout: timeoutMs });
  const response = reply.json<MsgGetResponse>();
  if (response.error) {
    if (response.error.err_code === NO_MESSAGE_FOUND) return null;
    throw new JetStreamApiError(response.error);
  }
  const message = response.message;
  if (!message) throw new Error('STREAM.MSG.GET answered without a message');
  return decodeStored(message.seq, message.hdrs ?? '', message.data ?? '', Date.parse(message.time));
}

/**
 * Decodes a stored message's base64 headers and payload; throws ForeignMessage
 * if they do not agree. The append time is the message's Hello-Es-Time header,
 * or `storedTimeMs` (the stream's timestamp) for a message without one.
 */
export function decodeStored(seq: number, headersBase64: string, dataBase64: string, storedTimeMs: number): AppendMessage {
  // Headers are "NATS/1.0\r\nName: value\r\n…\r\n\r\n", in ASCII.
  const text = Buffer.from(headersBase64, 'base64').toString('latin1');
  const first = FIRST_OFFSET.exec(text)?.[1] ?? '';
  const count = COUNT.exec(text)?.[1] ?? '';
  if (!/^\d+$/.test(first) || !/^\d+$/.test(count)) {
    throw new ForeignMessage(seq, `missing or bad ${FIRST_OFFSET_HEADER}/${COUNT_HEADER} headers`);
  }
  const values = new BigInt64Array(Number(count));
  // Decoded into the column's own (8-aligned) memory; more bytes than room is caught by the length check.
  const room = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const bytes = Buffer.byteLength(dataBase64, 'base64');
  if (bytes !== values.byteLength || room.write(dataBase64, 0, 'base64') !== bytes) {
    throw new ForeignMessage(seq, `payload of ${bytes} bytes for ${count} values`);
  }
  const stamped = TIME.exec(text)?.[1];
  const timeMs = stamped === undefined ? storedTimeMs : Number(stamped);
  return { seq, firstOffset: BigInt(first), count: values.length, values, timeMs };
}

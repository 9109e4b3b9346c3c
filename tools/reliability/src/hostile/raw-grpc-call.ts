import { connect, constants, type ClientHttp2Session } from 'node:http2';

/** How a raw call ended: the grpc-status the server sent, or why there was none. */
export interface RawCallResult {
  /** grpc-status from the trailers (or a trailers-only response); undefined if none came. */
  readonly status: number | undefined;
  readonly message: string;
  /** Set when the exchange failed below gRPC (stream reset, connection error, timeout). */
  readonly transportError?: string;
  /**
   * The server took the bytes for a valid request of an endless streaming
   * method (Subscribe, WatchState) and started sending: no status is due.
   */
  readonly streamOpened?: boolean;
}

/** How long a stream that sends data without ending is watched before it counts as opened. */
const OPEN_STREAM_GRACE_MS = 1_000;

/** A 5-byte gRPC frame header (compressed flag, big-endian length) and its payload. */
export function grpcFrame(payload: Uint8Array, declaredLength = payload.length, compressed = false): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(compressed ? 1 : 0, 0);
  header.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([header, payload]);
}

/**
 * Speaks gRPC by hand over one HTTP/2 stream: POSTs `body` (raw bytes, framed
 * or not, as the case wants) to `path` with the gRPC headers, ends the
 * request, and reads grpc-status from the trailers. Never rejects: every end
 * is described in the result.
 */
export function rawGrpcCall(session: ClientHttp2Session, path: string, body: Buffer, timeoutMs = 10_000): Promise<RawCallResult> {
  return new Promise((resolve) => {
    let settled = false;
    let openTimer: NodeJS.Timeout | undefined;
    let headerStatus: number | undefined;
    let headerMessage = '';
    const finish = (result: RawCallResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(openTimer);
      resolve(result);
    };
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: path,
      [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
      te: 'trailers',
    });
    const timer = setTimeout(() => {
      // Only a stream that never ended is reset: resetting every finished
      // stream would trip the server's rapid-reset guard (GOAWAY ENHANCE_YOUR_CALM).
      if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
      finish({ status: undefined, message: '', transportError: `no status within ${timeoutMs} ms` });
    }, timeoutMs);
    stream.on('response', (headers) => {
      // A trailers-only response carries grpc-status in the headers.
      headerStatus = parseStatus(headers['grpc-status']);
      headerMessage = decodeMessage(headers['grpc-message']);
    });
    stream.on('trailers', (trailers) => {
      finish({ status: parseStatus(trailers['grpc-status']), message: decodeMessage(trailers['grpc-message']) });
    });
    stream.on('data', () => {
      openTimer ??= setTimeout(() => {
        stream.close(constants.NGHTTP2_CANCEL);
        finish({ status: undefined, message: '', streamOpened: true });
      }, OPEN_STREAM_GRACE_MS);
    });
    stream.on('end', () => finish({ status: headerStatus, message: headerMessage }));
    stream.on('close', () =>
      finish(headerStatus === undefined ? { status: undefined, message: '', transportError: `stream closed (code ${stream.rstCode})` } : { status: headerStatus, message: headerMessage }),
    );
    stream.on('error', (error: Error) => finish({ status: headerStatus, message: headerMessage, transportError: error.message }));
    stream.end(body);
  });
}

/** Opens an HTTP/2 session to "host:port"; rejects if it cannot connect. */
export function openSession(address: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://${address}`);
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

export function closeSession(session: ClientHttp2Session): Promise<void> {
  return new Promise((resolve) => {
    if (session.closed || session.destroyed) resolve();
    else session.close(() => resolve());
  });
}

function parseStatus(raw: string | string[] | undefined): number | undefined {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined) return undefined;
  const code = Number(text);
  return Number.isInteger(code) ? code : undefined;
}

function decodeMessage(raw: string | string[] | undefined): string {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined) return '';
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

import type { Writable } from 'node:stream';

type WriteCallback = (error?: Error | null) => void;

interface WritableInternals {
  _write(chunk: unknown, encoding: BufferEncoding, callback: WriteCallback): void;
  _writev?: (chunks: { chunk: unknown; encoding: BufferEncoding }[], callback: WriteCallback) => void;
}

/**
 * Lets a grpc-js stream hand every message buffered during one event-loop
 * turn to HTTP/2 at once. grpc-js's call streams implement only `_write`,
 * and it calls back when HTTP/2 has written the message, so a stream of
 * small messages otherwise moves one message per event-loop turn, whatever
 * the load (issue 12). With `_writev`, Node's Writable passes all buffered
 * messages together; each still goes through the call's own `_write`
 * (framing, interceptors) in order, and the batch completes when all have.
 *
 * Node uses `_writev` only for messages buffered behind a write in progress,
 * so the call's first message always goes alone and has set up the call
 * (metadata sent, transport stream open) before any batch. On a client
 * call with retries enabled (grpc-js's default) it is safe but gains less:
 * the retrying call still passes one message per completed write down.
 */
export function coalesceWrites(stream: Writable): void {
  const target = stream as unknown as WritableInternals;
  if (target._writev) return;
  target._writev = (chunks, callback) => {
    let left = chunks.length;
    let failed = false;
    const done: WriteCallback = (error) => {
      if (failed) return;
      if (error) {
        failed = true;
        callback(error);
      } else if (--left === 0) {
        callback();
      }
    };
    for (const { chunk, encoding } of chunks) target._write.call(stream, chunk, encoding, done);
  };
}

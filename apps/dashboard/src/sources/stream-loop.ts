import { status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { Backoff, delay } from '@hello-es/reducer-runtime';

/** Reconnect delays: short enough that a restarted server shows up within seconds. */
export const RECONNECT_INITIAL_MS = 100;
export const RECONNECT_MAX_MS = 2_000;

/**
 * How one stream ended, for the page ("UNAVAILABLE: unreachable"). grpc-js's
 * own connection errors carry errno text and addresses, which never reach a
 * page; a server's own message (e.g. "server shutting down") is passed on.
 */
export function describeEnd(error: ServiceError | undefined): string {
  if (!error) return 'stream ended';
  const name = status[error.code] ?? String(error.code);
  if (error.code === status.UNAVAILABLE) return /shutting down/.test(error.details) ? `${name}: server shutting down` : `${name}: unreachable`;
  if (error.code === status.DEADLINE_EXCEEDED) return `${name}: no answer in time`;
  return error.details ? `${name}: ${error.details}` : name;
}

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && typeof (error as ServiceError).code === 'number';
}

export interface StreamLoopHandlers<Message> {
  /** Opens one stream (a new call each time); may first make a unary call, whose failure counts as down. */
  open(): ClientReadableStream<Message> | Promise<ClientReadableStream<Message>>;
  /** Each message; the first one counts as "connected". */
  onMessage(message: Message): void;
  /** The stream ended or failed; `reason` is for the page. */
  onDown(reason: string): void;
}

/**
 * Keeps one server-streaming call open forever: reopens it after any end or
 * failure with capped exponential backoff and jitter (reset once a stream
 * delivered a message), until the returned stop function is called.
 */
export interface StreamLoop {
  /** Ends the open stream as down with `reason` (a server that stopped answering) and reopens it with backoff. */
  restart(reason: string): void;
  stop(): Promise<void>;
}

export function runStreamLoop<Message>(handlers: StreamLoopHandlers<Message>): StreamLoop {
  const stopping = new AbortController();
  const backoff = new Backoff(RECONNECT_INITIAL_MS, RECONNECT_MAX_MS);
  let cancel: ((reason?: string) => void) | undefined;
  const once = async (): Promise<void> => {
    let call: ClientReadableStream<Message>;
    try {
      call = await handlers.open();
    } catch (error: unknown) {
      if (!stopping.signal.aborted) handlers.onDown(describeEnd(isServiceError(error) ? error : undefined));
      return;
    }
    if (stopping.signal.aborted) {
      call.cancel();
      return;
    }
    return new Promise((resolve) => {
      let done = false;
      const finish = (error: ServiceError | undefined, reason?: string): void => {
        if (done) return;
        done = true;
        cancel = undefined;
        call.cancel();
        if (!stopping.signal.aborted) handlers.onDown(reason ?? describeEnd(error));
        resolve();
      };
      cancel = (reason) => finish(undefined, reason);
      call.on('data', (message: Message) => {
        if (done) return;
        backoff.reset();
        handlers.onMessage(message);
      });
      call.on('error', (error: ServiceError) => finish(error));
      call.on('end', () => finish(undefined));
    });
  };
  const running = (async () => {
    while (!stopping.signal.aborted) {
      await once();
      if (stopping.signal.aborted) break;
      await delay(backoff.nextDelayMs(), stopping.signal);
    }
  })();
  return {
    restart: (reason) => cancel?.(reason),
    stop: async () => {
      stopping.abort();
      cancel?.();
      await running;
    },
  };
}

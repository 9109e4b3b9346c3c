import { status } from '@grpc/grpc-js';
import { AppenderError, createAppender, type AppendResponse, type EventLogServiceClient } from '@hello-es/contracts';

/** Appends over one AppendStream, each with a deadline. */
export interface StreamAppends {
  append(values: bigint[]): Promise<AppendResponse>;
  /** Waits (bounded) for the stream to end after the last answer. */
  close(): Promise<void>;
}

/**
 * The contracts library's appender over `client`, set up for a command line:
 * a log that cannot be reached fails at the first attempt (exit 3 within
 * `timeoutMs`, no reconnect loop), and an append unanswered after
 * `timeoutMs * 4` fails DEADLINE_EXCEEDED (the appender has no deadline of
 * its own; a stalled log must not hang the command). Order is the stream's:
 * appends land in the order they are made.
 */
export function openStreamAppends(client: EventLogServiceClient, timeoutMs: number, maxInFlight: number): StreamAppends {
  const appender = createAppender(client, { maxInFlight, maxReconnectAttempts: 1, connectTimeoutMs: timeoutMs });
  return {
    append(values) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new AppenderError(status.DEADLINE_EXCEEDED, `no answer within ${(timeoutMs * 4) / 1000} s; the append may or may not be stored`, true)),
          timeoutMs * 4,
        );
      });
      return Promise.race([appender.append(values), deadline]).finally(() => clearTimeout(timer));
    },
    async close() {
      let timer: NodeJS.Timeout | undefined;
      // After an append timed out the appender may still wait for it: closing the client ends that.
      await Promise.race([appender.close(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}

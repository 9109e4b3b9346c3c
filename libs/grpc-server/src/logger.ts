import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

let stdoutBroken = false;

/**
 * Log lines go to stdout through Node's own stream. When the reader of stdout
 * is gone (EPIPE: a parent that died, `| head`), lines are dropped instead of
 * retried: pino's default sonic-boom destination retries such a write for
 * ever at exit, which kept a process from ever shutting down.
 */
const stdoutDestination: DestinationStream = {
  write(line: string): void {
    if (!stdoutBroken) process.stdout.write(line);
  },
};

function markStdoutBroken(): void {
  stdoutBroken = true;
}

/**
 * A structured logger (one JSON line per lifecycle event) named after the
 * service. LOG_LEVEL sets the level (default "info"; "silent" in tests).
 */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  if (!process.stdout.listeners('error').includes(markStdoutBroken)) process.stdout.on('error', markStdoutBroken);
  return pino({ name: service, level, base: { service, pid: process.pid } }, stdoutDestination);
}

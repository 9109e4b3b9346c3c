import pino, { type DestinationStream, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { ConfigError, readChoice, type Env } from './config';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogSettings {
  readonly level: LogLevel;
  readonly format: LogFormat;
}

/**
 * LOG_LEVEL (default info) and LOG_FORMAT (default: pretty when stdout is a
 * terminal, json otherwise). Throws a ConfigError naming the variable and the
 * allowed values.
 */
export function readLogSettings(env: Env, stdoutIsTerminal = process.stdout.isTTY === true): LogSettings {
  return {
    level: readChoice<LogLevel>(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    format: readChoice<LogFormat>(env, 'LOG_FORMAT', stdoutIsTerminal ? 'pretty' : 'json', LOG_FORMATS),
  };
}

let stdoutBroken = false;

function markStdoutBroken(): void {
  stdoutBroken = true;
}

/**
 * Log lines go to stdout through Node's own stream (synchronous for files,
 * pipes and terminals on Linux, so a line logged just before exit is not
 * lost). When the reader of stdout is gone (EPIPE: a parent that died,
 * `| head`), lines are dropped instead of retried: pino's default sonic-boom
 * destination retries such a write for ever at exit, which kept a process
 * from ever shutting down.
 */
function stdoutDestination(format: LogFormat): DestinationStream {
  const pretty = format === 'pretty' ? prettyFactory({ colorize: process.stdout.isTTY === true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,service' }) : undefined;
  return {
    write(line: string): void {
      if (stdoutBroken) return;
      process.stdout.write(pretty ? pretty(line) : line);
    },
  };
}

/**
 * A structured logger named after the service. Without settings it reads
 * LOG_LEVEL / LOG_FORMAT from the environment (a bad value throws a
 * ConfigError); a string second argument is the level ("silent" in tests).
 */
export function createLogger(service: string, settings?: LogLevel | Partial<LogSettings>): Logger {
  if (!process.stdout.listeners('error').includes(markStdoutBroken)) process.stdout.on('error', markStdoutBroken);
  const fromEnv = (): LogSettings => readLogSettings(process.env);
  const given = typeof settings === 'string' ? { level: settings } : settings;
  const resolved: LogSettings = given?.level && given.format ? (given as LogSettings) : { ...fromEnv(), ...given };
  if (!LOG_LEVELS.includes(resolved.level)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${String(resolved.level)}"`);
  }
  return pino({ name: service, level: resolved.level, base: { service, pid: process.pid } }, stdoutDestination(resolved.format));
}

import { readFileSync } from 'node:fs';
import { ConfigError, type Env } from '@hello-es/process';

/**
 * The bearer token a client sends to the event log: EVENTLOG_TOKEN, or the
 * first line of the file EVENTLOG_TOKEN_FILE names (keeps it out of the
 * process list and environment dumps). Both set is a ConfigError.
 */
export function readEventLogToken(env: Env): string | undefined {
  const direct = env['EVENTLOG_TOKEN']?.trim() || undefined;
  const file = env['EVENTLOG_TOKEN_FILE']?.trim() || undefined;
  if (direct && file) throw new ConfigError('EVENTLOG_TOKEN_FILE', 'and EVENTLOG_TOKEN are both set; set one');
  if (!file) return direct;
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error: unknown) {
    throw new ConfigError('EVENTLOG_TOKEN_FILE', `names "${file}", which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const token = content.split(/\r?\n/)[0]?.trim();
  if (!token) throw new ConfigError('EVENTLOG_TOKEN_FILE', `names "${file}", whose first line is empty`);
  return token;
}

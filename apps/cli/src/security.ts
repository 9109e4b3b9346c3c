import { readFileSync } from 'node:fs';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import type { ClientFactoryOptions } from '@hello-es/contracts';
import type { GlobalOptions } from './addresses';
import { CliError, EXIT_USAGE } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

/** Where a setting came from, for error messages: the flag, else the variable. */
interface Setting {
  readonly value: string;
  readonly source: string;
}

function setting(flag: string, flagValue: string | undefined, env: Env, variable: string): Setting | undefined {
  if (flagValue !== undefined) return { value: flagValue, source: flag };
  const fromEnv = env[variable]?.trim();
  return fromEnv ? { value: fromEnv, source: variable } : undefined;
}

/** A file's bytes; a usage error naming the flag or variable (errno code only) when it cannot be read. */
function readSettingFile(file: Setting): Buffer {
  try {
    return readFileSync(file.value);
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CliError(`${file.source} names "${file.value}", which cannot be read (${code})`, EXIT_USAGE);
  }
}

/**
 * The channel credentials for every server the CLI talks to (the log and the
 * reducers share one deployment CA): --tls-ca/--tls-cert/--tls-key, else the
 * variables the reducers use for the log (EVENTLOG_TLS_CA_FILE,
 * EVENTLOG_TLS_CLIENT_CERT_FILE, EVENTLOG_TLS_CLIENT_KEY_FILE). Plaintext when
 * none is set and --tls is not given.
 */
export function channelCredentialsOf(options: GlobalOptions, env: Env = process.env): ChannelCredentials {
  const ca = setting('--tls-ca', options.tlsCa, env, 'EVENTLOG_TLS_CA_FILE');
  const cert = setting('--tls-cert', options.tlsCert, env, 'EVENTLOG_TLS_CLIENT_CERT_FILE');
  const key = setting('--tls-key', options.tlsKey, env, 'EVENTLOG_TLS_CLIENT_KEY_FILE');
  if (!!cert !== !!key) {
    throw new CliError(`${cert ? cert.source : key?.source} needs ${cert ? '--tls-key' : '--tls-cert'} as well (client certificate and key go together)`, EXIT_USAGE);
  }
  if (!options.tls && !ca && !cert) return credentials.createInsecure();
  try {
    return credentials.createSsl(ca ? readSettingFile(ca) : null, key ? readSettingFile(key) : null, cert ? readSettingFile(cert) : null);
  } catch (error: unknown) {
    if (error instanceof CliError) throw error;
    // grpc-js checks the PEM here; its message names no secret.
    throw new CliError(`TLS files rejected: ${(error as Error).message}`, EXIT_USAGE);
  }
}

/**
 * The bearer token: --token, else the first line of --token-file, else
 * EVENTLOG_TOKEN, else the first line of EVENTLOG_TOKEN_FILE (as the reducers
 * read theirs). Never printed: errors name only the flag, variable or file.
 */
export function tokenOf(options: GlobalOptions, env: Env = process.env): string | undefined {
  const { token, source } = rawTokenOf(options, env) ?? {};
  // grpc-js would refuse the header with an error that quotes it: check first, quoting nothing.
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) {
    throw new CliError(`the token from ${source} has characters a bearer token cannot have (printable ASCII, no spaces)`, EXIT_USAGE);
  }
  return token;
}

function rawTokenOf(options: GlobalOptions, env: Env): { token: string; source: string } | undefined {
  if (options.token !== undefined && options.tokenFile !== undefined) throw new CliError('use --token or --token-file, not both', EXIT_USAGE);
  if (options.token !== undefined) {
    const token = options.token.trim();
    if (!token) throw new CliError('--token is empty', EXIT_USAGE);
    return { token, source: '--token' };
  }
  const direct = env['EVENTLOG_TOKEN']?.trim() || undefined;
  const fileVariable = env['EVENTLOG_TOKEN_FILE']?.trim() || undefined;
  const file: Setting | undefined =
    options.tokenFile !== undefined ? { value: options.tokenFile, source: '--token-file' } : fileVariable ? { value: fileVariable, source: 'EVENTLOG_TOKEN_FILE' } : undefined;
  if (options.tokenFile === undefined && direct && fileVariable) {
    throw new CliError('EVENTLOG_TOKEN and EVENTLOG_TOKEN_FILE are both set; set one', EXIT_USAGE);
  }
  if (!file) return direct === undefined ? undefined : { token: direct, source: 'EVENTLOG_TOKEN' };
  const token = readSettingFile(file).toString('utf8').split(/\r?\n/)[0]?.trim();
  if (!token) throw new CliError(`${file.source} names "${file.value}", whose first line is empty`, EXIT_USAGE);
  return { token, source: file.source };
}

/** The client factory options (credentials and token) for `options`. */
export function clientOptionsOf(options: GlobalOptions): ClientFactoryOptions {
  const token = tokenOf(options);
  return { credentials: channelCredentialsOf(options), ...(token === undefined ? {} : { token }) };
}

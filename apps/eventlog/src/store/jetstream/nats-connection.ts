import { readFileSync } from 'node:fs';
import { ConfigError, type Logger } from '@hello-es/process';
import { connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { JetStreamStorageConfig } from './jetstream-config';

/** The connection options from the settings; a file that cannot be read is a ConfigError naming its variable. */
export function connectionOptions(config: JetStreamStorageConfig): NodeConnectionOptions {
  const options: NodeConnectionOptions = {
    servers: [...config.servers],
    name: 'hello-es eventlog gateway',
    timeout: config.requestTimeoutMs,
    // After the first connection the client keeps trying for ever; appends fail with UNAVAILABLE meanwhile.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // The head follower subscribes to the stream's subject to hear of other gateways' appends;
    // without this every append of ours would be delivered back to us as well (one more message per append).
    noEcho: true,
    // Otherwise every request (each publish, each message get) builds an Error and its stack
    // trace up front, to decorate a timeout that almost never comes: measurable per append.
    noAsyncTraces: true,
  };
  const credentials = config.credentials;
  switch (credentials.kind) {
    case 'none':
      break;
    case 'user':
      options.user = credentials.user;
      options.pass = credentials.password;
      break;
    case 'token':
      options.token = credentials.token;
      break;
    case 'creds-file':
      options.authenticator = credsAuthenticator(readSettingFile('NATS_CREDS', credentials.file));
      break;
  }
  if (config.tlsCaFile !== undefined) {
    readSettingFile('NATS_TLS_CA', config.tlsCaFile);
    options.tls = { caFile: config.tlsCaFile };
  }
  return options;
}

function readSettingFile(variable: string, file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error: unknown) {
    throw new ConfigError(variable, `names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${file}`);
  }
}

/** True for errors that retrying cannot fix (wrong credentials, refused settings). */
function isPermanent(error: unknown): boolean {
  if (error instanceof ConfigError) return true;
  const name = (error as Error | undefined)?.name ?? '';
  return name === 'AuthorizationError' || name === 'UserAuthenticationExpiredError' || name === 'PermissionViolationError';
}

/**
 * Runs `step` (connect, find the stream, read the head) until it succeeds,
 * retrying with jittered exponential backoff for at most connectTimeoutMs.
 * Throws ConfigError naming NATS_URL (unreachable), the credentials
 * variable (refused) or what `step` threw as a ConfigError.
 */
export async function withStartRetries<T>(
  config: JetStreamStorageConfig,
  logger: Logger,
  step: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + config.connectTimeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await step();
    } catch (error: unknown) {
      if (error instanceof ConfigError) throw error;
      const message = (error as Error | undefined)?.message ?? String(error);
      if (isPermanent(error)) throw new ConfigError(credentialVariable(config), `was refused by NATS: ${message}`);
      const wait = Math.min(2_000, 100 * 2 ** attempt) * (0.5 + Math.random());
      if (Date.now() + wait >= deadline) {
        throw new ConfigError(
          'NATS_URL',
          `could not reach a JetStream server at ${config.servers.join(',')} within ${config.connectTimeoutMs / 1_000}s (NATS_CONNECT_TIMEOUT_SECONDS): ${message}`,
        );
      }
      logger.warn({ attempt: attempt + 1, err: message, retryInMs: Math.round(wait) }, 'NATS not ready yet, retrying');
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function credentialVariable(config: JetStreamStorageConfig): string {
  switch (config.credentials.kind) {
    case 'user':
      return 'NATS_USER';
    case 'token':
      return 'NATS_TOKEN';
    case 'creds-file':
      return 'NATS_CREDS';
    case 'none':
      return 'NATS_URL';
  }
}

export async function connectNats(config: JetStreamStorageConfig): Promise<NatsConnection> {
  return connect(connectionOptions(config));
}

import { Metadata, status } from '@grpc/grpc-js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { makeTempDir, removeTempDir, waitFor } from '@hello-es/test-support';
import { authorizeCall } from './authorize';
import { requiredRole } from './method-roles';
import { OncePerInterval } from './once-per-minute';
import { isLoopbackHost, enforceProtectedMode } from './protected-mode';
import { TokenStore } from './token-store';
import { findToken, parseTokensFile, sha256Of } from './tokens-file';
import { newToken } from './new-token';

const silent = pino({ level: 'silent' });
const line = (name: string, roles: string[], token: string): string =>
  JSON.stringify({ name, roles, sha256: sha256Of(token).toString('hex') });

function bearer(token?: string): Metadata {
  const metadata = new Metadata();
  if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

describe('the tokens file', () => {
  it('parses the fixed format, skipping blank lines and comments', () => {
    const entries = parseTokensFile(`# clients\n\n${line('adder', ['read'], 't1')}\n${line('ops', ['admin', 'admin'], 't2')}\n`);
    expect(entries.map((entry) => [entry.name, entry.roles])).toEqual([['adder', ['read']], ['ops', ['admin']]]);
    expect(findToken(entries, 't2')?.name).toBe('ops');
    expect(findToken(entries, 't3')).toBeUndefined();
  });

  it.each([
    ['{not json', /line 2: is not a JSON object/],
    ['{"name":"x","roles":["write"],"sha256":"' + 'a'.repeat(64) + '"}', /line 2: unknown role "write"/],
    ['{"name":"x","roles":["read"],"sha256":"abc"}', /line 2: "sha256" must be 64 hex digits/],
    ['{"name":"","roles":["read"],"sha256":"' + 'a'.repeat(64) + '"}', /line 2: "name"/],
  ])('names the bad line: %s', (bad, message) => {
    expect(() => parseTokensFile(`${line('a', ['read'], 't')}\n${bad}`)).toThrow(message);
  });
});

describe('roles', () => {
  it('maps each RPC to the role the issue gives it', () => {
    expect(requiredRole('/eventlog.v1.EventLogService/Append')).toBe('append');
    for (const method of ['Subscribe', 'Read', 'GetLogInfo', 'ListSubscriptions']) expect(requiredRole(`/eventlog.v1.EventLogService/${method}`)).toBe('read');
    for (const method of ['GetState', 'WatchState']) expect(requiredRole(`/reducer.v1.ReducerService/${method}`)).toBe('read');
    expect(requiredRole('/grpc.health.v1.Health/Check')).toBeUndefined();
    expect(requiredRole('/grpc.reflection.v1.ServerReflection/ServerReflectionInfo')).toBeUndefined();
    expect(requiredRole('/eventlog.v1.EventLogService/SomethingNew')).toBe('admin');
  });
});

describe('authorizeCall and the token store', () => {
  let dir: string;
  let file: string;
  let store: TokenStore;

  beforeEach(async () => {
    dir = await makeTempDir('tokens-');
    file = join(dir, 'tokens.jsonl');
    writeFileSync(file, [line('reader', ['read'], 'r-token'), line('writer', ['append'], 'w-token'), line('ops', ['admin'], 'a-token')].join('\n'));
    store = new TokenStore(file, silent);
  });
  afterEach(async () => {
    store.close();
    await removeTempDir(dir);
  });

  const codeOf = (path: string, metadata: Metadata): number | 'ok' => {
    try {
      authorizeCall(store, path, metadata);
      return 'ok';
    } catch (error: unknown) {
      return (error as { code: number }).code;
    }
  };

  it('answers UNAUTHENTICATED, PERMISSION_DENIED naming the role, or lets the call through', () => {
    const append = '/eventlog.v1.EventLogService/Append';
    expect(codeOf(append, bearer())).toBe(status.UNAUTHENTICATED);
    expect(codeOf(append, bearer('wrong'))).toBe(status.UNAUTHENTICATED);
    expect(codeOf(append, bearer('r-token'))).toBe(status.PERMISSION_DENIED);
    expect(() => authorizeCall(store, append, bearer('r-token'))).toThrow('token "reader" lacks the role "append"');
    expect(codeOf(append, bearer('w-token'))).toBe('ok');
    expect(codeOf(append, bearer('a-token'))).toBe('ok');
    expect(codeOf('/grpc.health.v1.Health/Check', bearer())).toBe('ok');
  });

  it('never puts the token into the message', () => {
    expect(() => authorizeCall(store, '/eventlog.v1.EventLogService/Read', bearer('secret-guess'))).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-guess') }),
    );
  });

  it('drops a revoked token within the poll interval and keeps the old set on a malformed reload', async () => {
    writeFileSync(file, line('writer', ['append'], 'w-token'));
    await waitFor(() => store.lookup('r-token') === undefined, { description: 'the revoked token to be dropped', timeoutMs: 10_000 });
    expect(store.lookup('w-token')?.name).toBe('writer');
    writeFileSync(file, '{broken');
    expect(store.reload('test')).toBe(false);
    expect(store.lookup('w-token')?.name).toBe('writer');
  });

  it('refuses a malformed file at start naming the line', () => {
    writeFileSync(file, `${line('a', ['read'], 't')}\n\n{oops`);
    expect(() => new TokenStore(file, silent)).toThrow(/AUTH_TOKENS_FILE .*malformed at line 3/);
  });
});

describe('protected mode', () => {
  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1:0')).toBe(true);
    expect(isLoopbackHost('[::1]:50051')).toBe(true);
    expect(isLoopbackHost('localhost:1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0:0')).toBe(false);
    expect(isLoopbackHost('[::]:0')).toBe(false);
  });

  it('refuses a non-loopback listen without TLS and tokens, naming the variables', () => {
    expect(() => enforceProtectedMode({}, 'EVENTLOG_LISTEN', '0.0.0.0:0', { tls: true, tokens: false }, silent)).toThrow(
      /EVENTLOG_LISTEN is 0.0.0.0:0, not a loopback address: set AUTH_TOKENS_FILE .*INSECURE=1/,
    );
    expect(enforceProtectedMode({}, 'EVENTLOG_LISTEN', '0.0.0.0:0', { tls: true, tokens: true }, silent)).toBeInstanceOf(Function);
  });

  it('starts with INSECURE=1 and warns', () => {
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (chunk: string) => void warnings.push(chunk) });
    const stop = enforceProtectedMode({ INSECURE: '1' }, 'ADDER_LISTEN', '0.0.0.0:0', { tls: false, tokens: false }, logger);
    stop();
    expect(warnings.join('')).toContain('INSECURE=1: serving on 0.0.0.0:0 without TLS_CERT_FILE and TLS_KEY_FILE and AUTH_TOKENS_FILE');
  });
});

describe('OncePerInterval', () => {
  it('lets one line per peer through per interval', () => {
    let now = 0;
    const limiter = new OncePerInterval(60_000, () => now);
    expect([limiter.shouldLog('a'), limiter.shouldLog('a'), limiter.shouldLog('b')]).toEqual([true, false, true]);
    now = 60_000;
    expect(limiter.shouldLog('a')).toBe(true);
  });
});

describe('newToken', () => {
  it('makes a random token whose file line parses and matches it', () => {
    const { token, line } = newToken('adder', ['read']);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(line).not.toContain(token);
    expect(findToken(parseTokensFile(line), token)?.roles).toEqual(['read']);
    expect(newToken('adder', ['read']).token).not.toBe(token);
    expect(() => newToken('x', ['write' as 'read'])).toThrow(/--roles/);
  });
});

import { credentials, Metadata, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { connect as connectTcp } from 'node:net';
import { connect } from 'node:tls';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { callUnary, createAppender, createEventLogClient, type Appender, type EventLogServiceClient, type SubscribeResponse } from '@hello-es/contracts';
import { readServerSecurity, sha256Of, type ServerSecurity } from '@hello-es/grpc-server';
import {
  callProtoLoaderUnary,
  createProtoLoaderClient,
  makeCertificateAuthority,
  makeTempDir,
  makeTestCertificates,
  removeTempDir,
  signCertificate,
  waitFor,
  type TestCertificates,
} from '@hello-es/test-support';
import { readEventLogConfig } from './config';
import { startEventLogServer, type RunningEventLogServer } from './event-log-server';

const silent = pino({ level: 'silent' });
const tokenLine = (name: string, roles: string[], token: string): string => JSON.stringify({ name, roles, sha256: sha256Of(token).toString('hex') });

let dir: string;
let certs: TestCertificates;
let tokensFile: string;
let security: ServerSecurity;
let server: RunningEventLogServer;
const clients: { close(): void }[] = [];

const logLines: string[] = [];
const capturing = pino({ level: 'warn' }, { write: (chunk: string) => void logLines.push(chunk) });

async function start(env: Record<string, string>, logger = silent): Promise<void> {
  const config = readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', EVENTLOG_STORAGE: 'memory' });
  security = readServerSecurity(env, 'EVENTLOG', 'EVENTLOG_LISTEN', config.listen, logger);
  server = await startEventLogServer(config, logger, { security });
}

function client(options: Parameters<typeof createEventLogClient>[1]): EventLogServiceClient {
  const created = createEventLogClient(`localhost:${server.port}`, options);
  clients.push(created);
  return created;
}

const codeOf = (promise: Promise<unknown>): Promise<number | 'ok'> =>
  promise.then(
    () => 'ok',
    (error: ServiceError) => error.code,
  );

/** Resolves when a finite stream ends; rejects with its error. */
function streamOutcome(stream: ClientReadableStream<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('data', () => undefined);
    stream.once('end', resolve);
    stream.once('error', reject);
  });
}

async function withAppender<T>(client: EventLogServiceClient, use: (appender: Appender) => Promise<T>): Promise<T> {
  const appender = createAppender(client);
  try {
    return await use(appender);
  } finally {
    await appender.close();
  }
}

function firstMessageOrError(stream: ClientReadableStream<SubscribeResponse>): Promise<number | 'message'> {
  return new Promise((resolve) => {
    stream.once('data', () => resolve('message'));
    stream.once('error', (error: ServiceError) => resolve(error.code));
  });
}

beforeAll(async () => {
  dir = await makeTempDir('eventlog-security-');
  certs = makeTestCertificates(dir);
  tokensFile = join(dir, 'tokens.jsonl');
});
afterAll(() => removeTempDir(dir));
afterEach(async () => {
  for (const created of clients.splice(0)) created.close();
  await server.shutdown();
  security.close();
});

describe('the event log with TLS and tokens', () => {
  beforeEach(async () => {
    writeFileSync(
      tokensFile,
      ['# test clients', tokenLine('reader', ['read'], 'r-token'), tokenLine('writer', ['append'], 'w-token'), tokenLine('ops', ['admin'], 'a-token')].join('\n'),
    );
    await start({ TLS_CERT_FILE: certs.serverCert, TLS_KEY_FILE: certs.serverKey, AUTH_TOKENS_FILE: tokensFile, MAX_SUBSCRIPTIONS_PER_TOKEN: '2' });
  });

  it('answers every RPC with the exact status for no token, a wrong one, one lacking the role and a good one', async () => {
    const tls = { caFile: certs.caCert };
    const calls: [string, (c: EventLogServiceClient) => Promise<unknown>, string, string][] = [
      ['Append', (c) => callUnary(c.append.bind(c), { values: [1n], idempotencyKey: '' }, { timeoutMs: 5_000 }), 'r-token', 'w-token'],
      // The appender rejects with the refusal's own code: no append ran, so nothing is "outcome unknown".
      ['AppendStream', (c) => withAppender(c, (appender) => appender.append([1n])), 'r-token', 'w-token'],
      ['Read', (c) => streamOutcome(c.read({ fromOffset: 0n, maxCount: 10n })), 'w-token', 'r-token'],
      ['GetLogInfo', (c) => callUnary(c.getLogInfo.bind(c), {}, { timeoutMs: 5_000 }), 'w-token', 'r-token'],
      ['ListSubscriptions', (c) => callUnary(c.listSubscriptions.bind(c), {}, { timeoutMs: 5_000 }), 'w-token', 'r-token'],
    ];
    for (const [name, call, lacking, good] of calls) {
      const results = [
        await codeOf(call(client({ tls }))),
        await codeOf(call(client({ tls, token: 'wrong' }))),
        await codeOf(call(client({ tls, token: lacking }))),
        await codeOf(call(client({ tls, token: good }))),
        await codeOf(call(client({ tls, token: 'a-token' }))),
      ];
      expect([name, ...results]).toEqual([name, status.UNAUTHENTICATED, status.UNAUTHENTICATED, status.PERMISSION_DENIED, 'ok', 'ok']);
    }
    const subscribe = (token?: string): Promise<number | 'message'> =>
      firstMessageOrError(client({ tls, ...(token ? { token } : {}) }).subscribe({ fromOffset: 0n, subscriberName: 't' }));
    expect([await subscribe(), await subscribe('wrong'), await subscribe('w-token'), await subscribe('r-token')]).toEqual([
      status.UNAUTHENTICATED,
      status.UNAUTHENTICATED,
      status.PERMISSION_DENIED,
      'message',
    ]);
    await expect(callUnary(client({ tls, token: 'r-token' }).append.bind(client({ tls, token: 'r-token' })), { values: [1n], idempotencyKey: '' })).rejects.toThrow(
      'lacks the role "append"',
    );
  });

  it('works through a proto-loader client with TLS and a bearer token; plaintext fails', async () => {
    const loader = createProtoLoaderClient('eventlog/v1/eventlog.proto', 'eventlog.v1.EventLogService', `localhost:${server.port}`, credentials.createSsl(readFileSync(certs.caCert)));
    clients.push(loader);
    const metadata = new Metadata();
    metadata.set('authorization', 'Bearer w-token');
    const reply = await callProtoLoaderUnary(loader, 'Append', { values: ['7'] }, 5_000, metadata);
    expect(reply['next_offset']).toBe('1');
    await expect(callProtoLoaderUnary(loader, 'Append', { values: ['7'] }, 5_000)).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    const plaintext = createProtoLoaderClient('eventlog/v1/eventlog.proto', 'eventlog.v1.EventLogService', `localhost:${server.port}`);
    clients.push(plaintext);
    await expect(callProtoLoaderUnary(plaintext, 'GetLogInfo', {}, 2_000, metadata)).rejects.toMatchObject({ code: status.UNAVAILABLE });
  });

  it('ends an open Subscribe of a revoked token with UNAUTHENTICATED and refuses its new calls', async () => {
    const reader = client({ tls: { caFile: certs.caCert }, token: 'r-token' });
    const stream = reader.subscribe({ fromOffset: 0n, subscriberName: 'revoked' });
    expect(await firstMessageOrError(stream)).toBe('message');
    const ended = new Promise<ServiceError>((resolve) => stream.once('error', resolve));
    writeFileSync(tokensFile, tokenLine('writer', ['append'], 'w-token'));
    const error = await ended;
    expect([error.code, error.details]).toEqual([status.UNAUTHENTICATED, 'token revoked']);
    expect(await codeOf(callUnary(reader.getLogInfo.bind(reader), {}, { timeoutMs: 5_000 }))).toBe(status.UNAUTHENTICATED);
  });

  it('answers RESOURCE_EXHAUSTED past MAX_SUBSCRIPTIONS_PER_TOKEN and keeps serving others', async () => {
    const reader = client({ tls: { caFile: certs.caCert }, token: 'r-token' });
    const open = [0, 1].map((index) => reader.subscribe({ fromOffset: 0n, subscriberName: `s${index}` }));
    for (const stream of open) expect(await firstMessageOrError(stream)).toBe('message');
    const third = reader.subscribe({ fromOffset: 0n, subscriberName: 's2' });
    const refused = new Promise<ServiceError>((resolve) => third.once('error', resolve));
    expect((await refused).code).toBe(status.RESOURCE_EXHAUSTED);
    await expect(refused).resolves.toMatchObject({ details: expect.stringContaining('MAX_SUBSCRIPTIONS_PER_TOKEN (2') });
    const admin = client({ tls: { caFile: certs.caCert }, token: 'a-token' });
    expect(await firstMessageOrError(admin.subscribe({ fromOffset: 0n, subscriberName: 'admin' }))).toBe('message');
    for (const stream of open) {
      stream.on('error', () => undefined);
      stream.cancel();
    }
  });
  /** Hostile input against TLS + tokens: garbage instead of a handshake, then a flood of unauthenticated calls. */
  it('survives garbage before the handshake and a flood of unauthenticated calls, and keeps serving', async () => {
    await Promise.all(
      Array.from({ length: 20 }, () =>
        new Promise<void>((resolve) => {
          const socket = connectTcp(server.port, '127.0.0.1', () => socket.write(Buffer.alloc(4096, 0x5a)));
          socket.on('error', () => resolve());
          socket.on('close', () => resolve());
          socket.setTimeout(5_000, () => socket.destroy());
        }),
      ),
    );
    const anonymous = client({ tls: { caFile: certs.caCert } });
    const codes = await Promise.all(Array.from({ length: 500 }, () => codeOf(callUnary(anonymous.getLogInfo.bind(anonymous), {}, { timeoutMs: 10_000 }))));
    expect(new Set(codes)).toEqual(new Set([status.UNAUTHENTICATED]));
    const reader = client({ tls: { caFile: certs.caCert }, token: 'r-token' });
    expect(await codeOf(callUnary(reader.getLogInfo.bind(reader), {}, { timeoutMs: 5_000 }))).toBe('ok');
  });
});

describe('the event log with mutual TLS', () => {
  beforeEach(() => start({ EVENTLOG_TLS_CERT_FILE: certs.serverCert, EVENTLOG_TLS_KEY_FILE: certs.serverKey, TLS_CLIENT_CA_FILE: certs.caCert }, capturing));

  it('serves a client with a certificate of the CA and refuses one without or with another CA', async () => {
    const good = client({ tls: { caFile: certs.caCert, certFile: certs.clientCert, keyFile: certs.clientKey } });
    expect(await codeOf(callUnary(good.getLogInfo.bind(good), {}, { timeoutMs: 5_000 }))).toBe('ok');
    const none = client({ tls: { caFile: certs.caCert } });
    expect(await codeOf(callUnary(none.getLogInfo.bind(none), {}, { timeoutMs: 3_000 }))).toBe(status.UNAVAILABLE);
    const otherDir = join(dir, 'other');
    mkdirSync(otherDir, { recursive: true });
    makeCertificateAuthority(otherDir);
    const stranger = signCertificate(otherDir, 'stranger');
    const wrong = client({ tls: { caFile: certs.caCert, certFile: stranger.cert, keyFile: stranger.key } });
    expect(await codeOf(callUnary(wrong.getLogInfo.bind(wrong), {}, { timeoutMs: 3_000 }))).toBe(status.UNAVAILABLE);
    // Both refused clients (and grpc-js's reconnect attempts) come from 127.0.0.1: one line per peer per minute.
    // (A socket that hangs up mid-handshake has no address left; those count as one "unknown" peer.)
    const refusals = logLines.filter((entry) => entry.includes('refused TLS handshake'));
    expect(refusals.filter((entry) => entry.includes('"peer":"127.0.0.1:'))).toHaveLength(1);
    expect(refusals.length).toBeLessThanOrEqual(2);
  });
});

describe('limits without TLS or tokens (loopback)', () => {
  beforeEach(() => start({ MAX_SUBSCRIPTIONS: '2' }));

  it('answers RESOURCE_EXHAUSTED naming MAX_SUBSCRIPTIONS past the total, and serves again once one closes', async () => {
    const plain = createEventLogClient(server.address);
    clients.push(plain);
    const open = [0, 1].map((index) => plain.subscribe({ fromOffset: 0n, subscriberName: `s${index}` }));
    for (const stream of open) expect(await firstMessageOrError(stream)).toBe('message');
    const refused = await new Promise<ServiceError>((resolve) => plain.subscribe({ fromOffset: 0n, subscriberName: 'third' }).once('error', resolve));
    expect([refused.code, refused.details]).toEqual([status.RESOURCE_EXHAUSTED, 'MAX_SUBSCRIPTIONS (2 open streams on this server) reached']);
    expect(await codeOf(callUnary(plain.getLogInfo.bind(plain), {}, { timeoutMs: 5_000 }))).toBe('ok');
    open[0]?.on('error', () => undefined);
    open[0]?.cancel();
    await waitFor(
      async () => (await firstMessageOrError(plain.subscribe({ fromOffset: 0n, subscriberName: 'again' }))) === 'message',
      { description: 'a freed subscription slot', timeoutMs: 10_000 },
    );
    open[1]?.on('error', () => undefined);
    open[1]?.cancel();
  });
});

describe('certificate rotation', () => {
  let certFile: string;
  let keyFile: string;

  beforeEach(async () => {
    certFile = join(dir, 'live.crt');
    keyFile = join(dir, 'live.key');
    copyFileSync(certs.serverCert, certFile);
    copyFileSync(certs.serverKey, keyFile);
    await start({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile });
  });

  const servedSubject = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: server.port, ca: readFileSync(certs.caCert), servername: 'localhost', ALPNProtocols: ['h2'] }, () => {
        const subject = socket.getPeerCertificate().subject.CN;
        socket.destroy();
        resolve(String(subject));
      });
      socket.once('error', reject);
    });

  it('serves the new certificate to a new connection on SIGHUP-style reload while an old stream goes on', async () => {
    const reader = client({ tls: { caFile: certs.caCert } });
    const stream = reader.subscribe({ fromOffset: 0n, subscriberName: 'old' });
    const received: bigint[] = [];
    stream.on('data', (message: SubscribeResponse) => {
      if (message.kind?.$case === 'events') received.push(...message.kind.value.events.map((event) => event.value));
    });
    expect(await servedSubject()).toBe('server');
    const renewed = signCertificate(dir, 'renewed');
    copyFileSync(renewed.cert, certFile);
    copyFileSync(renewed.key, keyFile);
    security.reload('test');
    expect(await servedSubject()).toBe('renewed');
    await callUnary(reader.append.bind(reader), { values: [42n], idempotencyKey: '' }, { timeoutMs: 5_000 });
    await waitFor(() => received.includes(42n), { description: 'the old stream to deliver an event appended after the rotation' });
    stream.on('error', () => undefined);
    stream.cancel();
  });
});

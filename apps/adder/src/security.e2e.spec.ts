import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callUnary, createEventLogClient, createReducerClient } from '@hello-es/contracts';
import { sha256Of } from '@hello-es/grpc-server';
import { findFreePort, makeTempDir, makeTestCertificates, removeTempDir, spawnApp, type SpawnedApp, type TestCertificates } from '@hello-es/test-support';

/**
 * The event log and the adder as real processes on mutual TLS with tokens:
 * the adder follows the log over mTLS with its read token and serves its
 * state over TLS; protected mode refuses a non-loopback plaintext listen.
 */
describe('security end to end', () => {
  let dir: string;
  let certs: TestCertificates;
  const apps: SpawnedApp[] = [];
  const line = (name: string, roles: string[], token: string): string => JSON.stringify({ name, roles, sha256: sha256Of(token).toString('hex') });

  beforeAll(async () => {
    dir = await makeTempDir('security-e2e-');
    certs = makeTestCertificates(dir);
    writeFileSync(join(dir, 'tokens.jsonl'), [line('adder', ['read'], 'adder-token'), line('ops', ['admin'], 'ops-token')].join('\n'));
    writeFileSync(join(dir, 'adder.token'), 'adder-token\n');
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.kill()));
  });
  afterAll(() => removeTempDir(dir));

  it('the adder follows the log over mutual TLS with a token and serves the sum over TLS', async () => {
    const logPort = await findFreePort();
    const tls = { TLS_CERT_FILE: certs.serverCert, TLS_KEY_FILE: certs.serverKey, TLS_CLIENT_CA_FILE: certs.caCert, AUTH_TOKENS_FILE: join(dir, 'tokens.jsonl') };
    apps.push(await spawnApp('eventlog', { env: { ...tls, EVENTLOG_LISTEN: `127.0.0.1:${logPort}`, DATA_DIR: dir, EVENTLOG_SEED: '1,1,1,1,2' } }));
    const adderPort = await findFreePort();
    apps.push(
      await spawnApp('adder', {
        env: {
          TLS_CERT_FILE: certs.serverCert,
          TLS_KEY_FILE: certs.serverKey,
          AUTH_TOKENS_FILE: join(dir, 'tokens.jsonl'),
          ADDER_LISTEN: `127.0.0.1:${adderPort}`,
          EVENTLOG_URL: `localhost:${logPort}`,
          EVENTLOG_TLS_CA_FILE: certs.caCert,
          EVENTLOG_TLS_CLIENT_CERT_FILE: certs.clientCert,
          EVENTLOG_TLS_CLIENT_KEY_FILE: certs.clientKey,
          EVENTLOG_TOKEN_FILE: join(dir, 'adder.token'),
          DATA_DIR: dir,
        },
      }),
    );
    const log = createEventLogClient(`localhost:${logPort}`, { tls: { caFile: certs.caCert, certFile: certs.clientCert, keyFile: certs.clientKey }, token: 'ops-token' });
    const adder = createReducerClient(`localhost:${adderPort}`, { tls: { caFile: certs.caCert }, token: 'ops-token' });
    try {
      const appended = await callUnary(log.append.bind(log), { values: [3n], idempotencyKey: '' }, { timeoutMs: 10_000 });
      const { state } = await callUnary(adder.getState.bind(adder), { minNextOffset: appended.nextOffset }, { timeoutMs: 20_000 });
      expect([state?.value, state?.nextOffset]).toEqual(['9', 6n]);
    } finally {
      log.close();
      adder.close();
    }
  });

  it('refuses a non-loopback plaintext listen naming the variables, and starts with INSECURE=1 and a warning', async () => {
    const port = await findFreePort();
    await expect(spawnApp('eventlog', { env: { EVENTLOG_LISTEN: `0.0.0.0:${port}`, EVENTLOG_STORAGE: 'memory' } })).rejects.toThrow(
      /EVENTLOG_LISTEN is 0\.0\.0\.0:\d+, not a loopback address: set TLS_CERT_FILE and TLS_KEY_FILE and AUTH_TOKENS_FILE/,
    );
    const insecure = await spawnApp('eventlog', { env: { EVENTLOG_LISTEN: `0.0.0.0:${port}`, EVENTLOG_STORAGE: 'memory', INSECURE: '1' } });
    apps.push(insecure);
    expect(insecure.output.join('\n')).toContain('INSECURE=1: serving on 0.0.0.0');
  });

  it('stops at start naming the variable of a bad certificate file', async () => {
    await expect(
      spawnApp('eventlog', { env: { EVENTLOG_LISTEN: '127.0.0.1:0', EVENTLOG_STORAGE: 'memory', TLS_CERT_FILE: certs.serverCert, TLS_KEY_FILE: certs.clientKey } }),
    ).rejects.toThrow(/TLS_KEY_FILE names .*client\.key.*, whose key does not match the certificate in TLS_CERT_FILE/);
  });
});

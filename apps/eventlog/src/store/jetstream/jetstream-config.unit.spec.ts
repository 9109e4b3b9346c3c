import { isConfigError } from '@hello-es/process';
import { readEventLogConfig } from '../../config';
import { loggableStorageConfig } from '../storage-config';

describe('EVENTLOG_STORAGE=jetstream settings', () => {
  it('uses the documented defaults', () => {
    expect(readEventLogConfig({ EVENTLOG_STORAGE: 'jetstream' }).storage).toEqual({
      kind: 'jetstream',
      servers: ['nats://127.0.0.1:4222'],
      stream: 'HELLO_ES_EVENTS',
      replicas: 1,
      dedupeWindowMs: 86_400_000,
      connectTimeoutMs: 30_000,
      requestTimeoutMs: 5_000,
      appendTimeoutMs: 30_000,
      publishesInFlight: 64,
      appendsWaiting: 16_384,
      credentials: { kind: 'none' },
      tlsCaFile: undefined,
    });
  });

  it('reads servers, replicas, window and credentials', () => {
    const storage = readEventLogConfig({
      EVENTLOG_STORAGE: 'jetstream',
      NATS_URL: 'nats://10.0.0.1:4222, 10.0.0.2:4222',
      NATS_REPLICAS: '3',
      NATS_DEDUPE_WINDOW: '12h',
      NATS_USER: 'gw',
      NATS_PASSWORD: 'secret',
      NATS_PUBLISHES_IN_FLIGHT: '8',
      NATS_APPENDS_WAITING: '100',
    }).storage;
    expect(storage).toMatchObject({
      servers: ['nats://10.0.0.1:4222', '10.0.0.2:4222'],
      replicas: 3,
      dedupeWindowMs: 12 * 3_600_000,
      credentials: { kind: 'user', user: 'gw', password: 'secret' },
      publishesInFlight: 8,
      appendsWaiting: 100,
    });
  });

  it.each([
    ['NATS_URL', { NATS_URL: 'http://x y' }],
    ['NATS_STREAM', { NATS_STREAM: 'a.b' }],
    ['NATS_REPLICAS', { NATS_REPLICAS: '2' }],
    ['NATS_DEDUPE_WINDOW', { NATS_DEDUPE_WINDOW: '1 day' }],
    ['NATS_DEDUPE_WINDOW', { NATS_DEDUPE_WINDOW: '0s' }],
    ['NATS_PASSWORD', { NATS_USER: 'gw' }],
    ['NATS_TOKEN', { NATS_TOKEN: 't', NATS_CREDS: '/x.creds' }],
    ['NATS_REQUEST_TIMEOUT_MS', { NATS_REQUEST_TIMEOUT_MS: '10' }],
    ['NATS_PUBLISHES_IN_FLIGHT', { NATS_PUBLISHES_IN_FLIGHT: '0' }],
    ['NATS_PUBLISHES_IN_FLIGHT', { NATS_PUBLISHES_IN_FLIGHT: 'many' }],
    ['NATS_PUBLISHES_IN_FLIGHT', { NATS_PUBLISHES_IN_FLIGHT: '5000' }],
    ['NATS_APPENDS_WAITING', { NATS_APPENDS_WAITING: '0' }],
    ['NATS_APPENDS_WAITING', { NATS_APPENDS_WAITING: '2000000' }],
  ])('rejects a bad %s naming the variable', (variable, env) => {
    let thrown: unknown;
    try {
      readEventLogConfig({ EVENTLOG_STORAGE: 'jetstream', ...env });
    } catch (error: unknown) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain(variable);
  });
});

describe('logging the jetstream settings', () => {
  it('leaves the NATS password and token out', () => {
    for (const env of [{ NATS_USER: 'gw', NATS_PASSWORD: 'hunter2' }, { NATS_TOKEN: 'hunter2' }]) {
      const storage = readEventLogConfig({ EVENTLOG_STORAGE: 'jetstream', ...env }).storage;
      expect(JSON.stringify(loggableStorageConfig(storage))).not.toContain('hunter2');
      expect(JSON.stringify(storage)).toContain('hunter2');
    }
  });
});

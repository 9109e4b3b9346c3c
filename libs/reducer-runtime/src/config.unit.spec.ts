import { ConfigError } from '@hello-es/process';
import { DEFAULT_MAX_WAIT_MS, listenVariableFor, readReducerConfig } from './config';

describe('readReducerConfig', () => {
  it('uses the documented defaults', () => {
    expect(readReducerConfig({}, 'adder', '127.0.0.1:50052')).toEqual({
      listenAddress: '127.0.0.1:50052',
      eventLogAddress: '127.0.0.1:50051',
      eventLogSecurity: {},
      dataDir: './data',
      snapshotEveryEvents: 100_000,
      snapshotEveryMs: 5_000,
      maxWaitMs: DEFAULT_MAX_WAIT_MS,
      backoffInitialMs: 100,
      backoffMaxMs: 5_000,
    });
  });

  it('reads the TLS files and token for the log, and names a bad one', () => {
    expect(readReducerConfig({ EVENTLOG_TOKEN: 'secret' }, 'adder', '127.0.0.1:50052').eventLogSecurity).toEqual({ token: 'secret' });
    expect(() => readReducerConfig({ EVENTLOG_TLS_CA_FILE: '/no/such/ca.crt' }, 'adder', '127.0.0.1:50052')).toThrow(
      /EVENTLOG_TLS_CA_FILE names "\/no\/such\/ca.crt", which cannot be read \(missing\)/,
    );
    expect(() => readReducerConfig({ EVENTLOG_TOKEN: 'a', EVENTLOG_TOKEN_FILE: '/x' }, 'adder', '127.0.0.1:50052')).toThrow(/EVENTLOG_TOKEN_FILE/);
  });

  it("reads the reducer's own listen variable", () => {
    expect(listenVariableFor('my-sum')).toBe('MY_SUM_LISTEN');
    const config = readReducerConfig({ MULTIPLIER_LISTEN: '0.0.0.0:7000', ADDER_LISTEN: 'bad' }, 'multiplier', '127.0.0.1:50053');
    expect(config.listenAddress).toBe('0.0.0.0:7000');
  });

  it.each([
    ['ADDER_LISTEN', 'nope'],
    ['EVENTLOG_URL', 'no-port'],
    ['SNAPSHOT_EVERY_EVENTS', '0'],
    ['SNAPSHOT_EVERY_MS', 'soon'],
    ['REDUCER_MAX_WAIT_MS', '-5'],
    ['REDUCER_BACKOFF_INITIAL_MS', '0'],
  ])('rejects an invalid %s with a ConfigError naming it', (variable, value) => {
    expect(() => readReducerConfig({ [variable]: value }, 'adder', '127.0.0.1:50052')).toThrow(
      expect.objectContaining({ name: 'ConfigError', variable }) as ConfigError,
    );
  });

  it('rejects a backoff cap below the initial delay', () => {
    expect(() =>
      readReducerConfig({ REDUCER_BACKOFF_INITIAL_MS: '500', REDUCER_BACKOFF_MAX_MS: '100' }, 'adder', '127.0.0.1:1'),
    ).toThrow(/REDUCER_BACKOFF_MAX_MS/);
  });
});

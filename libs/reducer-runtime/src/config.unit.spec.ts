import { ConfigError } from '@hello-es/process';
import { DEFAULT_MAX_WAIT_MS, listenVariableFor, metricsListenVariableFor, readReducerConfig } from './config';

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
      metricsListen: '127.0.0.1:9465',
    });
  });

  /** Every app of `nx run-many -t serve` gets its own metrics port with no setting. */
  it('gives each reducer a metrics port of its own, from its gRPC port, and reads <NAME>_METRICS_LISTEN', () => {
    expect(metricsListenVariableFor('my-sum')).toBe('MY_SUM_METRICS_LISTEN');
    expect(readReducerConfig({}, 'multiplier', '127.0.0.1:50053').metricsListen).toBe('127.0.0.1:9466');
    expect(readReducerConfig({}, 'stats', '127.0.0.1:50054').metricsListen).toBe('127.0.0.1:9467');
    expect(readReducerConfig({}, 'elsewhere', '127.0.0.1:7000').metricsListen).toBeUndefined();
    expect(readReducerConfig({ ADDER_METRICS_LISTEN: 'off' }, 'adder', '127.0.0.1:50052').metricsListen).toBeUndefined();
    expect(readReducerConfig({ ADDER_METRICS_LISTEN: '[::1]:0' }, 'adder', '127.0.0.1:50052').metricsListen).toBe('[::1]:0');
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
    ['ADDER_METRICS_LISTEN', 'on'],
    ['ADDER_METRICS_LISTEN', '10.0.0.1:9465'],
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

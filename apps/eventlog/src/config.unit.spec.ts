import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@hello-es/process';
import { readEventLogConfig } from './config';
import { STORAGE_SETTINGS } from './store/storage-config';

describe('readEventLogConfig', () => {
  it('uses the documented defaults', () => {
    expect(readEventLogConfig({})).toEqual({
      listen: '127.0.0.1:50051',
      storage: { kind: 'file', dir: 'data/eventlog', verifyOnStart: 'full', onTailDamage: 'truncate' },
      seed: undefined,
      maxAppendValues: 10_000,
      appendStreamWindow: 1_024,
      metricsListen: '127.0.0.1:9464',
    });
  });

  it('reads every variable', () => {
    const config = readEventLogConfig({
      EVENTLOG_LISTEN: '0.0.0.0:6000',
      DATA_DIR: '/var/lib/x',
      EVENTLOG_STORAGE: 'memory',
      EVENTLOG_SEED: '1,1,1,1,2',
      EVENTLOG_MAX_APPEND_VALUES: '500',
      EVENTLOG_APPEND_STREAM_WINDOW: '64',
      EVENTLOG_VERIFY_ON_START: 'tail',
      EVENTLOG_ON_TAIL_DAMAGE: 'refuse',
      EVENTLOG_METRICS_LISTEN: '127.0.0.1:0',
    });
    expect(config).toEqual({
      listen: '0.0.0.0:6000',
      storage: { kind: 'memory' },
      seed: [1n, 1n, 1n, 1n, 2n],
      maxAppendValues: 500,
      appendStreamWindow: 64,
      metricsListen: '127.0.0.1:0',
    });
  });

  it('turns the metrics endpoint off with EVENTLOG_METRICS_LISTEN=off', () => {
    expect(readEventLogConfig({ EVENTLOG_METRICS_LISTEN: 'off' }).metricsListen).toBeUndefined();
  });

  it('refuses a bad EVENTLOG_METRICS_LISTEN, and one off loopback without INSECURE=1, naming the variable', () => {
    expect(() => readEventLogConfig({ EVENTLOG_METRICS_LISTEN: '9464' })).toThrow(
      new ConfigError('EVENTLOG_METRICS_LISTEN', 'must be host:port (for example 127.0.0.1:50051), got "9464"'),
    );
    expect(() => readEventLogConfig({ EVENTLOG_METRICS_LISTEN: '0.0.0.0:9464' })).toThrow(/EVENTLOG_METRICS_LISTEN is 0.0.0.0:9464, not a loopback address/);
    expect(readEventLogConfig({ EVENTLOG_METRICS_LISTEN: '0.0.0.0:9464', INSECURE: '1' }).metricsListen).toBe('0.0.0.0:9464');
  });

  it('reads the file backend\'s own variables', () => {
    expect(readEventLogConfig({ DATA_DIR: '/var/lib/x', EVENTLOG_VERIFY_ON_START: 'tail', EVENTLOG_ON_TAIL_DAMAGE: 'refuse' }).storage).toEqual({
      kind: 'file',
      dir: '/var/lib/x/eventlog',
      verifyOnStart: 'tail',
      onTailDamage: 'refuse',
    });
  });

  it('documents every storage variable in docs/eventlog.md', () => {
    const docs = readFileSync(join(__dirname, '../../../docs/eventlog.md'), 'utf8');
    for (const row of STORAGE_SETTINGS) expect(docs).toContain(`| \`${row.variable}\` | \`${row.default}\` |`);
  });

  it.each([
    ['EVENTLOG_LISTEN', 'nowhere'],
    ['EVENTLOG_STORAGE', 'sqlite'],
    ['EVENTLOG_ON_TAIL_DAMAGE', 'delete'],
    ['EVENTLOG_SEED', '1,x'],
    ['EVENTLOG_MAX_APPEND_VALUES', '0'],
    ['EVENTLOG_MAX_APPEND_VALUES', '100000'],
    ['EVENTLOG_APPEND_STREAM_WINDOW', '0'],
    ['EVENTLOG_APPEND_STREAM_WINDOW', '65537'],
    ['EVENTLOG_VERIFY_ON_START', 'never'],
  ])('rejects a bad %s naming the variable', (variable, value) => {
    let thrown: unknown;
    try {
      readEventLogConfig({ [variable]: value });
    } catch (error: unknown) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toContain(variable);
  });
});

import { isConfigError } from '@hello-es/process';
import { readDashboardConfig } from './config';

const reducers = [
  { name: 'adder', listen: '127.0.0.1:50052' },
  { name: 'sum-of-squares', listen: '127.0.0.1:50055' },
];

function variableOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error: unknown) {
    if (isConfigError(error)) return error.variable;
    throw error;
  }
  return undefined;
}

describe('dashboard settings', () => {
  it('defaults to 127.0.0.1:8080 and every known reducer at its default address', () => {
    expect(readDashboardConfig({}, reducers)).toMatchObject({
      listenAddress: '127.0.0.1:8080',
      eventLogAddress: '127.0.0.1:50051',
      reducers: [
        { name: 'adder', address: '127.0.0.1:50052' },
        { name: 'sum-of-squares', address: '127.0.0.1:50055' },
      ],
      maxPages: 100,
    });
    expect(readDashboardConfig({ SUM_OF_SQUARES_URL: 'stats.example:1' }, reducers).reducers[1]?.address).toBe('stats.example:1');
  });

  it.each([
    [{ DASHBOARD_LISTEN: 'abc' }, 'DASHBOARD_LISTEN'],
    [{ DASHBOARD_LISTEN: '127.0.0.1:99999' }, 'DASHBOARD_LISTEN'],
    [{ DASHBOARD_LISTEN: '0.0.0.0:8080' }, 'DASHBOARD_LISTEN'],
    [{ EVENTLOG_URL: 'no port' }, 'EVENTLOG_URL'],
    [{ ADDER_URL: 'x' }, 'ADDER_URL'],
    [{ DASHBOARD_MAX_PAGES: '0' }, 'DASHBOARD_MAX_PAGES'],
    [{ EVENTLOG_TOKEN: 'a', EVENTLOG_TOKEN_FILE: '/nope' }, 'EVENTLOG_TOKEN_FILE'],
  ])('stops at start on %j, naming %s', (env, variable) => {
    expect(variableOf(() => readDashboardConfig(env, reducers))).toBe(variable);
  });

  it('serves off loopback only with INSECURE=1', () => {
    expect(readDashboardConfig({ DASHBOARD_LISTEN: '0.0.0.0:8080', INSECURE: '1' }, reducers).listenAddress).toBe('0.0.0.0:8080');
  });
});

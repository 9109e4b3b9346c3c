import { ConfigError, readChoice, readInt64List, readInteger, readListenAddress, readServerAddress } from './config';

function problemOf(read: () => unknown): string {
  try {
    read();
  } catch (error: unknown) {
    if (error instanceof ConfigError) return `${error.variable}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('uses the default when a variable is unset or blank', () => {
    expect(readListenAddress({}, 'EVENTLOG_LISTEN', '127.0.0.1:50051')).toBe('127.0.0.1:50051');
    expect(readListenAddress({ EVENTLOG_LISTEN: '  ' }, 'EVENTLOG_LISTEN', '127.0.0.1:50051')).toBe('127.0.0.1:50051');
    expect(readInteger({}, 'N', 7, { min: 1, max: 10 })).toBe(7);
  });

  it('accepts host:port, IPv6 in brackets and port 0', () => {
    expect(readListenAddress({ A: '0.0.0.0:0' }, 'A', 'x:1')).toBe('0.0.0.0:0');
    expect(readListenAddress({ A: '[::1]:50051' }, 'A', 'x:1')).toBe('[::1]:50051');
    expect(readServerAddress({ A: 'dns:eventlog.internal:443' }, 'A', 'x:1')).toBe('dns:eventlog.internal:443');
  });

  it('names the variable and the problem when a value is invalid', () => {
    expect(problemOf(() => readListenAddress({ ADDER_LISTEN: 'localhost' }, 'ADDER_LISTEN', 'x:1'))).toBe(
      'ADDER_LISTEN: invalid configuration: ADDER_LISTEN must be host:port (for example 127.0.0.1:50051), got "localhost"',
    );
    expect(problemOf(() => readListenAddress({ A: '127.0.0.1:70000' }, 'A', 'x:1'))).toMatch(/^A: .*got "127.0.0.1:70000"/);
    expect(problemOf(() => readInteger({ N: '12x' }, 'N', 1, { min: 1, max: 10 }))).toMatch(/N must be a whole number/);
    expect(problemOf(() => readInteger({ N: '11' }, 'N', 1, { min: 1, max: 10 }))).toMatch(/N must be between 1 and 10, got 11/);
    expect(problemOf(() => readChoice({ S: 'disk' }, 'S', 'file', ['file', 'memory']))).toMatch(/S must be one of file, memory/);
  });

  it('reads comma-separated int64 lists exactly and rejects values outside int64', () => {
    expect(readInt64List({ SEED: '1, 1,1,1,2' }, 'SEED')).toEqual([1n, 1n, 1n, 1n, 2n]);
    expect(readInt64List({ SEED: '-9223372036854775808,9223372036854775807' }, 'SEED')).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
    expect(readInt64List({}, 'SEED')).toBeUndefined();
    expect(problemOf(() => readInt64List({ SEED: '9223372036854775808' }, 'SEED'))).toMatch(/outside the signed 64-bit range/);
    expect(problemOf(() => readInt64List({ SEED: '1,a' }, 'SEED'))).toMatch(/must be comma-separated integers, got "a"/);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { channelCredentialsOf, tokenOf } from './security';

describe('CLI security settings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('cli-security-');
    writeFileSync(join(dir, 'token'), 's3cret-token\nsecond line\n');
    writeFileSync(join(dir, 'empty'), '\n');
  });
  afterAll(() => removeTempDir(dir));

  it('takes the token from --token, --token-file, EVENTLOG_TOKEN or EVENTLOG_TOKEN_FILE, flags first', () => {
    expect(tokenOf({ token: 'flag' }, { EVENTLOG_TOKEN: 'env' })).toBe('flag');
    expect(tokenOf({ tokenFile: join(dir, 'token') }, { EVENTLOG_TOKEN: 'env' })).toBe('s3cret-token');
    expect(tokenOf({}, { EVENTLOG_TOKEN: 'env' })).toBe('env');
    expect(tokenOf({}, { EVENTLOG_TOKEN_FILE: join(dir, 'token') })).toBe('s3cret-token');
    expect(tokenOf({}, {})).toBeUndefined();
  });

  it('refuses conflicting or unusable token settings without showing a token', () => {
    const attempts = [
      () => tokenOf({ token: 'a', tokenFile: join(dir, 'token') }, {}),
      () => tokenOf({}, { EVENTLOG_TOKEN: 'env', EVENTLOG_TOKEN_FILE: join(dir, 'token') }),
      () => tokenOf({ tokenFile: join(dir, 'missing') }, {}),
      () => tokenOf({ tokenFile: join(dir, 'empty') }, {}),
      () => tokenOf({ token: 's3cret é' }, {}),
      () => tokenOf({}, { EVENTLOG_TOKEN: 's3cret\u0007' }),
    ];
    const messages = attempts.map((attempt) => {
      try {
        attempt();
        return 'no error';
      } catch (error) {
        expect(error).toMatchObject({ exitCode: 1 });
        return (error as Error).message;
      }
    });
    expect(messages).toEqual([
      'use --token or --token-file, not both',
      'EVENTLOG_TOKEN and EVENTLOG_TOKEN_FILE are both set; set one',
      expect.stringMatching(/^--token-file names ".*missing", which cannot be read \(ENOENT\)$/),
      expect.stringMatching(/^--token-file names ".*empty", whose first line is empty$/),
      'the token from --token has characters a bearer token cannot have (printable ASCII, no spaces)',
      'the token from EVENTLOG_TOKEN has characters a bearer token cannot have (printable ASCII, no spaces)',
    ]);
    messages.forEach((message) => expect(message).not.toContain('s3cret'));
  });

  it('needs the client certificate and key together and names an unreadable CA file', () => {
    expect(() => channelCredentialsOf({ tlsCert: 'c.pem' }, {})).toThrow('--tls-cert needs --tls-key as well');
    expect(() => channelCredentialsOf({}, { EVENTLOG_TLS_CLIENT_KEY_FILE: 'k.pem' })).toThrow('EVENTLOG_TLS_CLIENT_KEY_FILE needs --tls-cert as well');
    expect(() => channelCredentialsOf({ tlsCa: join(dir, 'missing.crt') }, {})).toThrow(/^--tls-ca names ".*missing\.crt", which cannot be read \(ENOENT\)$/);
    expect(channelCredentialsOf({}, {})._isSecure()).toBe(false);
    expect(channelCredentialsOf({ tls: true }, {})._isSecure()).toBe(true);
  });
});

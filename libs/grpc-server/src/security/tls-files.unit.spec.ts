import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, makeTestCertificates, removeTempDir, signCertificate, type TestCertificates } from '@hello-es/test-support';
import { loadCaBundle, loadIdentity } from './tls-files';
import { readEventLogClientTls, readServerTlsSettings } from './tls-settings';

let dir: string;
let certs: TestCertificates;

beforeAll(async () => {
  dir = await makeTempDir('tls-files-');
  certs = makeTestCertificates(dir);
});
afterAll(() => removeTempDir(dir));

describe('loadIdentity', () => {
  it('accepts a matching certificate and key', () => {
    const identity = loadIdentity('TLS_CERT_FILE', certs.serverCert, 'TLS_KEY_FILE', certs.serverKey);
    expect(identity.certificate.toString()).toContain('BEGIN CERTIFICATE');
  });

  it('names the variable of a missing file', () => {
    expect(() => loadIdentity('EVENTLOG_TLS_CERT_FILE', join(dir, 'nope.crt'), 'TLS_KEY_FILE', certs.serverKey)).toThrow(
      /EVENTLOG_TLS_CERT_FILE .*cannot be read \(missing\)/,
    );
  });

  it('names the variable of a file that is not PEM', () => {
    const junk = join(dir, 'junk.key');
    writeFileSync(junk, 'not a key');
    expect(() => loadIdentity('TLS_CERT_FILE', certs.serverCert, 'TLS_KEY_FILE', junk)).toThrow(/TLS_KEY_FILE .*not a PEM file/);
  });

  it('refuses a key that does not match the certificate', () => {
    expect(() => loadIdentity('TLS_CERT_FILE', certs.serverCert, 'TLS_KEY_FILE', certs.clientKey)).toThrow(
      /TLS_KEY_FILE .*does not match the certificate in TLS_CERT_FILE/,
    );
  });

  it('refuses an expired certificate', () => {
    const later = new Date(Date.now() + 10 * 86_400_000);
    expect(() => loadIdentity('TLS_CERT_FILE', certs.serverCert, 'TLS_KEY_FILE', certs.serverKey, later)).toThrow(/TLS_CERT_FILE .*expired on/);
  });

  it('refuses a key given as the certificate', () => {
    expect(() => loadIdentity('TLS_CERT_FILE', certs.serverKey, 'TLS_KEY_FILE', certs.serverKey)).toThrow(/TLS_CERT_FILE .*no valid PEM certificate/);
  });

  it('reads a CA bundle', () => {
    expect(loadCaBundle('TLS_CLIENT_CA_FILE', certs.caCert).length).toBeGreaterThan(100);
    const other = signCertificate(dir, 'other');
    expect(loadCaBundle('TLS_CLIENT_CA_FILE', other.cert).toString()).toContain('BEGIN CERTIFICATE');
  });
});

describe('readServerTlsSettings', () => {
  it('is plaintext without certificate and key', () => {
    expect(readServerTlsSettings({}, 'EVENTLOG')).toBeUndefined();
  });

  it('prefers the prefixed variable over the shared one, file by file', () => {
    const settings = readServerTlsSettings(
      { TLS_CERT_FILE: '/shared.crt', TLS_KEY_FILE: '/shared.key', ADDER_TLS_CERT_FILE: '/adder.crt', TLS_CLIENT_CA_FILE: '/ca.crt' },
      'ADDER',
    );
    expect(settings).toEqual({
      certFile: '/adder.crt',
      certVariable: 'ADDER_TLS_CERT_FILE',
      keyFile: '/shared.key',
      keyVariable: 'TLS_KEY_FILE',
      clientCaFile: '/ca.crt',
      clientCaVariable: 'TLS_CLIENT_CA_FILE',
    });
  });

  it('refuses a certificate without a key, and a client CA alone', () => {
    expect(() => readServerTlsSettings({ TLS_CERT_FILE: '/a' }, 'EVENTLOG')).toThrow(/EVENTLOG_TLS_KEY_FILE/);
    expect(() => readServerTlsSettings({ MULTIPLIER_TLS_CLIENT_CA_FILE: '/a' }, 'MULTIPLIER')).toThrow(/MULTIPLIER_TLS_CLIENT_CA_FILE needs/);
  });

  it('reads the reducers client settings', () => {
    expect(readEventLogClientTls({})).toBeUndefined();
    expect(readEventLogClientTls({ EVENTLOG_TLS_CA_FILE: '/ca' })).toEqual({ caFile: '/ca' });
    expect(() => readEventLogClientTls({ EVENTLOG_TLS_CLIENT_CERT_FILE: '/c' })).toThrow(/EVENTLOG_TLS_CLIENT_KEY_FILE/);
  });
});

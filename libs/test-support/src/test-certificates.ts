import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files of a throw-away PKI made by {@link makeTestCertificates}. */
export interface TestCertificates {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  /** Server certificate for 127.0.0.1 / localhost, signed by the CA. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** Client certificate signed by the CA (mTLS). */
  readonly clientCert: string;
  readonly clientKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A certificate signed by the CA in `dir`: `name.crt` / `name.key`, with
 * 127.0.0.1 and localhost as subject alternative names, valid `days` days.
 * (openssl 3.0 cannot back-date one; tests of expiry pass a later "now".)
 */
export function signCertificate(dir: string, name: string, caCert = 'ca.crt', caKey = 'ca.key', days = 2): { cert: string; key: string } {
  writeFileSync(join(dir, `${name}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-days', String(days), '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

/** A new CA (`name.crt` / `name.key`) in `dir`. */
export function makeCertificateAuthority(dir: string, name = 'ca'): { cert: string; key: string } {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`], dir);
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

/**
 * A CA, a server and a client certificate in `dir`, generated with Debian's
 * openssl (EC P-256, valid 2 days, so nothing committed can expire later).
 */
export function makeTestCertificates(dir: string): TestCertificates {
  const ca = makeCertificateAuthority(dir);
  const server = signCertificate(dir, 'server');
  const client = signCertificate(dir, 'client');
  return { dir, caCert: ca.cert, caKey: ca.key, serverCert: server.cert, serverKey: server.key, clientCert: client.cert, clientKey: client.key };
}

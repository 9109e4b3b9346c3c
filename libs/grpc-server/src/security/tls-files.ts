import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '@hello-es/process';

/** A certificate chain and its private key, read and checked. */
export interface IdentityPem {
  readonly certificate: Buffer;
  readonly privateKey: Buffer;
}

function readPem(variable: string, file: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(variable, `names "${file}", which cannot be read (${code === 'ENOENT' ? 'missing' : code})`);
  }
  if (!content.toString('latin1').includes('-----BEGIN ')) {
    throw new ConfigError(variable, `names "${file}", which is not a PEM file (no -----BEGIN line)`);
  }
  return content;
}

function parseCertificate(variable: string, file: string, pem: Buffer, now: Date): X509Certificate {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new ConfigError(variable, `names "${file}", which holds no valid PEM certificate`);
  }
  if (new Date(certificate.validTo).getTime() < now.getTime()) {
    throw new ConfigError(variable, `names "${file}", whose certificate expired on ${certificate.validTo}`);
  }
  if (new Date(certificate.validFrom).getTime() > now.getTime()) {
    throw new ConfigError(variable, `names "${file}", whose certificate is not valid before ${certificate.validFrom}`);
  }
  return certificate;
}

/**
 * Reads a certificate (chain) and its key, and checks what would otherwise
 * only fail at the first handshake: both files exist and are PEM, the
 * certificate is within its validity period and the key matches it.
 * Throws a {@link ConfigError} naming the variable at fault.
 */
export function loadIdentity(
  certVariable: string,
  certFile: string,
  keyVariable: string,
  keyFile: string,
  now = new Date(),
): IdentityPem {
  const certificatePem = readPem(certVariable, certFile);
  const keyPem = readPem(keyVariable, keyFile);
  const certificate = parseCertificate(certVariable, certFile, certificatePem, now);
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw new ConfigError(keyVariable, `names "${keyFile}", which holds no valid PEM private key`);
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new ConfigError(keyVariable, `names "${keyFile}", whose key does not match the certificate in ${certVariable}`);
  }
  return { certificate: certificatePem, privateKey: keyPem };
}

/** Reads a CA bundle (one or more PEM certificates) and checks the first one. */
export function loadCaBundle(variable: string, file: string, now = new Date()): Buffer {
  const pem = readPem(variable, file);
  parseCertificate(variable, file, pem, now);
  return pem;
}

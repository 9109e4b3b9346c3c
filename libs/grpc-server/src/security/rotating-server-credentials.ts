import { experimental, type ServerCredentials } from '@grpc/grpc-js';
import { unwatchFile, watchFile } from 'node:fs';
import type { Logger } from '@hello-es/process';
import { loadCaBundle, loadIdentity, type IdentityPem } from './tls-files';
import type { ServerTlsSettings } from './tls-settings';

type IdentityListener = experimental.IdentityCertificateUpdateListener;
type CaListener = experimental.CaCertificateUpdateListener;

/** How often the certificate files are polled for a change. */
export const CERTIFICATE_POLL_MS = 1_000;

/**
 * Server TLS credentials whose certificate, key and client CA can change
 * without a restart. grpc-js 1.14 calls `setSecureContext` on its HTTP/2
 * server when a certificate provider reports new material: new connections
 * get the new certificate, open connections and their streams go on.
 *
 * The files are checked at construction (a ConfigError naming the variable
 * stops the process) and again on every reload; a reload that fails the
 * checks keeps the previous material and logs an error.
 */
export class RotatingServerCredentials {
  readonly credentials: ServerCredentials;
  private identity: IdentityPem;
  private ca: Buffer | undefined;
  private readonly identityListeners = new Set<IdentityListener>();
  private readonly caListeners = new Set<CaListener>();
  private readonly watched: string[];

  constructor(
    private readonly settings: ServerTlsSettings,
    private readonly logger: Logger,
  ) {
    this.identity = loadIdentity(settings.certVariable, settings.certFile, settings.keyVariable, settings.keyFile);
    this.ca = settings.clientCaFile ? loadCaBundle(settings.clientCaVariable ?? 'TLS_CLIENT_CA_FILE', settings.clientCaFile) : undefined;
    const provider: experimental.CertificateProvider = {
      addIdentityCertificateListener: (listener) => {
        this.identityListeners.add(listener);
        // Asynchronously: grpc-js registers its watcher only after adding this listener,
        // so a synchronous first update would reach no one (the server would refuse every handshake).
        queueMicrotask(() => listener({ certificate: this.identity.certificate, privateKey: this.identity.privateKey }));
      },
      removeIdentityCertificateListener: (listener) => void this.identityListeners.delete(listener),
      addCaCertificateListener: (listener) => {
        this.caListeners.add(listener);
        const ca = this.ca;
        if (ca) queueMicrotask(() => listener({ caCertificate: ca }));
      },
      removeCaCertificateListener: (listener) => void this.caListeners.delete(listener),
    };
    // grpc-js names the first parameter "caCertificateProvider" but passes it on as the
    // identity provider (server-credentials.js, 1.14.7): identity first, then the CA.
    this.credentials = experimental.createCertificateProviderServerCredentials(provider, this.ca ? provider : null, this.ca !== undefined);
    this.watched = [settings.certFile, settings.keyFile, ...(settings.clientCaFile ? [settings.clientCaFile] : [])];
    for (const file of this.watched) watchFile(file, { interval: CERTIFICATE_POLL_MS, persistent: false }, this.onFileChange);
  }

  /** Re-reads the files (on change or SIGHUP). Returns whether new material is in use. */
  reload(reason: string): boolean {
    try {
      const identity = loadIdentity(this.settings.certVariable, this.settings.certFile, this.settings.keyVariable, this.settings.keyFile);
      const ca = this.settings.clientCaFile
        ? loadCaBundle(this.settings.clientCaVariable ?? 'TLS_CLIENT_CA_FILE', this.settings.clientCaFile)
        : undefined;
      if (identity.certificate.equals(this.identity.certificate) && identity.privateKey.equals(this.identity.privateKey) && sameBuffer(ca, this.ca)) {
        return false;
      }
      this.identity = identity;
      this.ca = ca;
      for (const listener of this.identityListeners) listener({ certificate: identity.certificate, privateKey: identity.privateKey });
      if (ca) for (const listener of this.caListeners) listener({ caCertificate: ca });
      this.logger.info({ reason }, 'TLS certificate reloaded; new connections use it');
      return true;
    } catch (error: unknown) {
      // Half-written files are normal during a rotation: keep serving the old pair.
      this.logger.error({ reason, err: error instanceof Error ? error.message : String(error) }, 'TLS reload failed; keeping the previous certificate');
      return false;
    }
  }

  private readonly onFileChange = (): void => void this.reload('file changed');

  close(): void {
    for (const file of this.watched) unwatchFile(file, this.onFileChange);
  }
}

function sameBuffer(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.equals(b);
}

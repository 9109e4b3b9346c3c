/**
 * grpc-js passes the address as the TLS server name, and for an IP address
 * (`--log 127.0.0.1:50051` with --tls-ca) Node then warns DEP0123 on every
 * run: noise for a CLI user, since the certificate is still checked against
 * the address (its IP subject alternative name). Every other warning goes to
 * Node's own printer as before.
 */
export function hideIpServerNameWarning(): void {
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.code === 'DEP0123') return;
    printers.forEach((print) => print(warning));
  });
}

/**
 * Which Host and Origin headers the dashboard answers. A request whose Host is
 * not one of the dashboard's own names is refused (DNS rebinding: a hostile
 * name that resolves to 127.0.0.1 would otherwise be same-origin with it);
 * a POST must also come from one of its own origins (cross-site requests).
 */
export class OriginGuard {
  private readonly names: ReadonlySet<string>;
  private hosts: ReadonlySet<string> = new Set();

  constructor(listenHost: string, port?: number) {
    this.names = new Set(['127.0.0.1', 'localhost', '[::1]', hostForUrl(listenHost)]);
    if (port !== undefined) this.listeningOn(port);
  }

  /** Sets the port once the server listens (DASHBOARD_LISTEN may ask for port 0); until then everything is refused. */
  listeningOn(port: number): void {
    this.hosts = new Set([...this.names].map((name) => `${name}:${port}`.toLowerCase()));
  }

  allowsHost(host: string | undefined): boolean {
    return host !== undefined && this.hosts.has(host.toLowerCase());
  }

  /** True when `origin` is "http://<one of our hosts>". A missing Origin is refused. */
  allowsOrigin(origin: string | undefined): boolean {
    if (!origin) return false;
    const match = /^http:\/\/(.+)$/i.exec(origin);
    return match !== null && this.hosts.has((match[1] ?? '').toLowerCase());
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

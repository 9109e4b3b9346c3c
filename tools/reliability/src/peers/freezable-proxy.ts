import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a server that can "freeze": it stops forwarding in
 * both directions and stops reading, but keeps every socket open. To the
 * server the client is then half-open: no FIN, no RST, just silence, which
 * only keepalive pings can detect.
 */
export interface FreezableProxy {
  /** "127.0.0.1:PORT" for clients. */
  readonly address: string;
  freeze(): void;
  /** Destroys every socket and closes the listener. */
  close(): Promise<void>;
  /** Upstream (server-side) sockets still open. */
  openUpstreams(): number;
}

export async function startFreezableProxy(target: string): Promise<FreezableProxy> {
  const separator = target.lastIndexOf(':');
  const host = target.slice(0, separator);
  const port = Number(target.slice(separator + 1));
  const sockets = new Set<Socket>();
  const upstreams = new Set<Socket>();
  let frozen = false;
  const server: Server = createServer((downstream) => {
    const upstream = connect(port, host);
    sockets.add(downstream);
    sockets.add(upstream);
    upstreams.add(upstream);
    const forward = (from: Socket, to: Socket): void => {
      from.on('data', (chunk: Buffer) => {
        if (!frozen) to.write(chunk);
      });
      // Once frozen, an end or error on one side must not reach the other.
      from.on('close', () => {
        sockets.delete(from);
        upstreams.delete(from);
        if (!frozen) to.destroy();
      });
      from.on('error', () => undefined);
    };
    forward(downstream, upstream);
    forward(upstream, downstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const listenPort = typeof address === 'object' && address ? address.port : 0;
  return {
    address: `127.0.0.1:${listenPort}`,
    freeze: () => {
      frozen = true;
      for (const socket of sockets) socket.pause();
    },
    openUpstreams: () => upstreams.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

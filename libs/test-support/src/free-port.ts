import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago, for a server that must come
 * back on the same address after a restart (port 0 would move it).
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
